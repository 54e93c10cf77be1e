"""Reminder e-mails to teams' data leads: once before a period is due, once when overdue.

Run daily (``coiin send_reminders``). For each team and each frequency it reports, the
periods considered are the recent ones whose due date is near or just past, and any
period kept open by an exception. A period is reminded about while it is not submitted:

* ``due_soon``: from ``REPORTING_REMINDER_DAYS`` (default 7) days before its due date
  up to the due date;
* ``overdue``: after the due date, while the period is still open (``services.is_closed``).

Each reminder sent is recorded in ``Reminder`` (unique per submission and kind), so a
second run the same day, or a run on another machine, never sends it twice. E-mails leave
after the transaction commits, one per language: each recipient reads it in the language of
their profile (English where they chose none).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from coiin.network.models import Team, TeamMembership

from . import services, signals
from .models import Measure, Reminder, Submission, TeamMeasure
from .periods import Frequency, Period


class ReminderError(Exception):
    """Reminders cannot be sent; the message says why."""


def reminder_days() -> int:
    """How many days before the due date the first reminder goes."""
    return int(getattr(settings, "REPORTING_REMINDER_DAYS", 7))


def entry_link(team: Team, period: Period) -> str:
    """The full address of the page where the team enters this period's data."""
    try:
        path = reverse("enter_data", args=[team.learning_network.slug,
                                           team.jurisdiction.postal_code.lower(), period.label])
    except NoReverseMatch as exc:
        raise ReminderError(
            "Reminders link to the data-entry page, but no URL is named 'enter_data' "
            "(expected arguments: network slug, postal code, period label). Add that route "
            "before sending reminders.") from exc
    return settings.SITE_URL + path


@dataclass
class Due:
    """One reminder to send (or that would be sent, in a dry run)."""

    team: Team
    period: Period
    kind: str
    due: dt.date
    measures: list[Measure]
    recipients: list[str]
    submission: Submission | None = None
    link: str = field(default="", repr=False)
    # Each recipient's language (their profile's; blank where they chose none), read with
    # the recipients: wording each e-mail costs no query.
    languages: dict[str, str] = field(default_factory=dict, repr=False)

    def __str__(self) -> str:
        label = dict(Reminder.Kind.choices)[self.kind].lower()
        to = ", ".join(self.recipients) or "nobody (no data lead or team lead)"
        return f"{label}: {self.team}, {self.period.display} (due {self.due:%Y-%m-%d}) → {to}"


def _recipients() -> tuple[dict[int, list[str]], dict[str, str]]:
    """Each team's data leads' addresses (the team leads' where it has no data lead), and
    each address's language, in one query."""
    data_leads: dict[int, list[str]] = defaultdict(list)
    leads: dict[int, list[str]] = defaultdict(list)
    languages: dict[str, str] = {}
    for team_id, role, email, language in TeamMembership.objects.filter(
            role__in=[TeamMembership.Role.DATA_LEAD, TeamMembership.Role.LEAD],
            user__is_active=True).order_by("user__email").values_list(
            "team_id", "role", "user__email", "user__language"):
        (data_leads if role == TeamMembership.Role.DATA_LEAD else leads)[team_id].append(email)
        languages[email] = language
    return ({t: data_leads.get(t) or leads[t] for t in set(data_leads) | set(leads)},
            languages)


def _recent_periods(today: dt.date, frequency: Frequency) -> list[Period]:
    """Periods whose due date is coming up or whose regular entry window is still open."""
    out = []
    period = Period.containing(today, frequency)
    grace = dt.timedelta(days=settings.REPORTING_GRACE_DAYS)
    while services.due_date(period) + grace >= today:
        out.append(period)
        period = period.previous()
    return out


def reminders_due(today: dt.date | None = None) -> list[Due]:
    """Every reminder that should go out today and has not been sent yet."""
    today = today or timezone.localdate()
    days = dt.timedelta(days=reminder_days())
    teams = {t.pk: t for t in Team.objects.select_related("jurisdiction", "learning_network")}
    measures: dict[tuple[int, Frequency], list[Measure]] = defaultdict(list)
    for tm in TeamMeasure.objects.filter(active=True).select_related("measure").order_by(
            "measure__code"):
        measures[(tm.team_id, tm.measure.freq)].append(tm.measure)
    candidates: set[tuple[int, Period]] = set()
    recent = {f: _recent_periods(today, f) for f in {f for _, f in measures}}
    for team_id, frequency in measures:
        candidates.update((team_id, p) for p in recent[frequency])
    # Periods kept open by an exception stay candidates until they close.
    for s in Submission.objects.filter(status=Submission.Status.DRAFT, open_until__gte=today):
        if (s.team_id, s.period.frequency) in measures:
            candidates.add((s.team_id, s.period))
    if not candidates:
        return []
    earliest = min(p.start for _, p in candidates)
    submissions = {
        (s.team_id, s.period): s
        for s in Submission.objects.filter(team_id__in={t for t, _ in candidates})
        .filter(period_start__gte=earliest).prefetch_related("reminders")
    }
    recipients, languages = _recipients()
    out = []
    for team_id, period in sorted(candidates, key=lambda c: (c[0], c[1].start,
                                                              c[1].frequency.months)):
        team = teams[team_id]
        if team.joined_on > period.end:
            continue  # not in the network yet
        if not team.learning_network.runs_on(period.start):
            continue  # the learning network had ended
        submission = submissions.get((team_id, period))
        if submission is not None and submission.status != Submission.Status.DRAFT:
            continue
        due = services.due_date(period)
        if due - days <= today <= due:
            kind = Reminder.Kind.DUE_SOON
        elif today > due and not (services.is_closed(submission, today) if submission
                                  else today > due + dt.timedelta(
                                      days=settings.REPORTING_GRACE_DAYS)):
            kind = Reminder.Kind.OVERDUE
        else:
            continue
        if submission is not None and any(r.kind == kind for r in submission.reminders.all()):
            continue
        to = recipients.get(team_id, [])
        out.append(Due(team, period, kind, due, measures[(team_id, period.frequency)],
                       to, submission, languages={e: languages[e] for e in to}))
    return out


def _message(item: Due, recipients: list[str]) -> EmailMessage:
    """The reminder in the active language."""
    context = {"team": item.team, "period": item.period, "due": item.due,
               "measures": item.measures, "link": item.link,
               "closes_on": services.closes_on(item.submission) if item.submission else None}
    body = render_to_string(f"measures/email/reminder_{item.kind}.txt", context)
    values = {"team": item.team, "period": item.period.display,
              "due": date_format(item.due, gettext("F j, Y"))}
    if item.kind == Reminder.Kind.DUE_SOON:
        subject = gettext("%(team)s: %(period)s data due (%(due)s)") % values
    else:
        subject = gettext("%(team)s: %(period)s data overdue (%(due)s)") % values
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def _messages(item: Due) -> list[EmailMessage]:
    """One reminder per language among the recipients, each in their profile's language
    (read with the recipients: no query here)."""
    by_language: dict[str, list[str]] = defaultdict(list)
    for email in item.recipients:
        by_language[item.languages.get(email) or "en"].append(email)
    out = []
    for language, recipients in sorted(by_language.items()):
        with translation.override(language):
            out.append(_message(item, recipients))
    return out


def send_reminders(*, today: dt.date | None = None, dry_run: bool = False,
                   log: Callable[[str], None] | None = None) -> list[Due]:
    """Send today's reminders (or, with ``dry_run``, only say what would be sent).

    Returns the reminders sent. A period with nobody to write to is skipped and not
    recorded, so it is reminded about once someone takes the data-lead role.
    """
    log = log or (lambda _: None)
    sent = []
    for item in reminders_due(today):
        if not item.recipients:
            log(f"skipped, {item}")
            continue
        item.link = entry_link(item.team, item.period)
        if dry_run:
            log(f"would send {item}")
            sent.append(item)
            continue
        with transaction.atomic():
            item.submission = services.submission_for(item.team, item.period)
            try:
                with transaction.atomic():
                    Reminder.objects.create(submission=item.submission, kind=item.kind,
                                            recipients="\n".join(item.recipients))
            except IntegrityError:
                continue  # another run sent it a moment ago
            for message in _messages(item):
                transaction.on_commit(message.send)
            # The data leads' inboxes too (once per team-period, however many reminders).
            signals.send_after_commit(signals.period_due, submission=item.submission,
                                      kind=item.kind, due=item.due)
        log(f"sent {item}")
        sent.append(item)
    return sent
