"""The inbox, e-mail preferences, immediate e-mails and the digest.

People see what matters to them and nothing else shouts: every event lands in the
in-app inbox; only mentions and TA updates may also be e-mailed at once (if the person
wants that); everything else waits for the person's daily or weekly digest, ranked and
capped. Every e-mail carries one-click unsubscribe (RFC 8058) and leaves only after the
transaction that caused it commits.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import parseaddr
from functools import partial
from urllib.parse import quote

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from coiin import access
from coiin.network.models import User
from coiin.network.written import active_language

from ..models import Post, Space
from .models import DigestRun, Notification, NotificationPreference

IMMEDIATE = {Notification.Kind.MENTION: "email_mentions", Notification.Kind.TA: "email_ta"}
_state = threading.local()


@contextmanager
def muted() -> Iterator[None]:
    """No immediate e-mail while inside (the demo loader and bulk imports use it)."""
    _state.muted = True
    try:
        yield
    finally:
        _state.muted = False


def preferences_for(user: User) -> NotificationPreference:
    return NotificationPreference.objects.get_or_create(user=user)[0]


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


Text = str | Callable[[], str]


def reader_language(user: User):
    """Words made inside are in the person's language (their profile's; English where they
    chose none): inbox items, e-mails and digests have one reader each."""
    return translation.override(user.language or "en")


def in_language_of(user: User, text: Text) -> str:
    """The text worded in the person's language: a function is called under that language;
    a plain string is kept as it is."""
    if not callable(text):
        return text
    with reader_language(user):
        return str(text())


def notify(*, user: User, kind: str, text: Text, url: str, space: Space | None = None,
           source=None, email: bool = True) -> Notification:
    """Put an item in the person's inbox; e-mail it at once if it is a mention or a TA
    update and the person wants that (after the transaction commits).

    Give the text as a function (which calls ``gettext``) and it is worded in the
    person's language. Other apps call this too, e.g. for due dates (kind "due") and
    reviews ("review").
    """
    return notify_each(people=[user], kind=kind, text=text, url=url, space=space,
                       source=source, email=email)[0]


def notify_each(*, people: Iterable[User], kind: str, text: Text, url: str,
                space: Space | None = None, source=None, email: bool = True
                ) -> list[Notification]:
    """``notify`` for several people at once, each item worded in its reader's language:
    one insert, and one read of the e-mail preferences when the kind may be e-mailed at
    once, however many people there are (their languages come with them)."""
    people = list(dict.fromkeys(people))
    if not people:
        return []
    content_type = ContentType.objects.get_for_model(source) if source is not None else None
    notes = Notification.objects.bulk_create([
        Notification(user=person, kind=kind, text=in_language_of(person, text)[:300], url=url,
                     language=(person.language or "en") if callable(text) else active_language(),
                     space=space, content_type=content_type,
                     object_id=source.pk if source is not None else None)
        for person in people])
    field = IMMEDIATE.get(Notification.Kind(kind))
    reachable = [n for n in notes if n.user.is_active and n.user.email]
    if email and field and reachable and not getattr(_state, "muted", False):
        wanted = dict(NotificationPreference.objects.filter(
            user__in=[n.user for n in reachable]).values_list("user_id", field))
        default = getattr(NotificationPreference(), field)  # for those who never chose
        for note in reachable:
            if wanted.get(note.user_id, default):
                transaction.on_commit(partial(send_immediate, note.pk))
    return notes


def notify_mentions(*, post: Post, people: Sequence[User], by: User, comment=None) -> None:
    """Tell the people mentioned in a post or comment, each in their own language."""
    url = comment.get_absolute_url() if comment is not None else post.get_absolute_url()

    def text() -> str:
        words = {"who": by.display_name, "title": post.title}
        if comment is not None:
            return gettext("%(who)s mentioned you in a comment on “%(title)s”") % words
        return gettext("%(who)s mentioned you in the post “%(title)s”") % words
    notify_each(people=[p for p in people if p.pk != by.pk], kind=Notification.Kind.MENTION,
                space=post.space, text=text, url=url, source=comment or post)


def mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one of the person's notifications read, or all of them; returns how many."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


# E-mail ------------------------------------------------------------------------------

def absolute(url: str) -> str:
    return url if url.startswith("http") else settings.SITE_URL + url


def unsubscribe_headers(prefs: NotificationPreference) -> dict[str, str]:
    """RFC 2369 / RFC 8058 one-click unsubscribe: an https URL (POST) and a mailto."""
    https = absolute(reverse("community:unsubscribe", args=[prefs.token]))
    mailto = getattr(settings, "COMMUNITY_UNSUBSCRIBE_MAILTO", "") or parseaddr(
        settings.DEFAULT_FROM_EMAIL)[1]
    values = [f"<{https}>"]
    if mailto:
        values.append(f"<mailto:{mailto}?subject={quote('unsubscribe ' + prefs.token)}>")
    return {"List-Unsubscribe": ", ".join(values),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _send(user: User, subject: str | Callable[[], str], template: str, context: dict) -> None:
    """Send in the person's own language (their profile's; English where they chose none);
    a subject to be worded in that language is given as a function."""
    prefs = preferences_for(user)
    context = {**context, "user": user, "site": settings.SITE_URL,
               "settings_url": absolute(reverse("community:settings")),
               "unsubscribe_url": absolute(reverse("community:unsubscribe", args=[prefs.token]))}
    with reader_language(user):
        body = render_to_string(template, context)
        if callable(subject):
            subject = subject()
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email],
                 headers=unsubscribe_headers(prefs)).send()


def send_immediate(notification_id: int) -> None:
    note = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if note is None or note.read_at is not None:
        return
    _send(note.user, f"CoIIN: {note.text}"[:150], "community/email/immediate.txt",
          {"note": note, "url": absolute(note.url)})


def unsubscribe(*, token: str) -> NotificationPreference | None:
    """Turn every community e-mail off for the person holding this token."""
    prefs = NotificationPreference.objects.filter(token=token).first()
    if prefs is not None:
        prefs.digest = NotificationPreference.Digest.OFF
        prefs.email_mentions = False
        prefs.email_ta = False
        prefs.save(update_fields=["digest", "email_mentions", "email_ta"])
    return prefs


# Digest ------------------------------------------------------------------------------

def digest_cap() -> int:
    return getattr(settings, "COMMUNITY_DIGEST_CAP", 10)


def period_key(frequency: str, now: dt.datetime) -> str:
    """The digest period ``now`` falls in: a local date, or an ISO week."""
    day = timezone.localtime(now).date()
    if frequency == NotificationPreference.Digest.DAILY:
        return day.isoformat()
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class DigestItem:
    rank: float  # 0 direct (mentions, replies, answers ...), 1 own team, 2 own networks, ...
    when: dt.datetime
    text: str
    url: str
    where: str = ""


_DIRECT_ORDER = [Notification.Kind.MENTION, Notification.Kind.REPLY,
                 Notification.Kind.ANSWER, Notification.Kind.TA, Notification.Kind.REVIEW,
                 Notification.Kind.DUE, Notification.Kind.REPORT,
                 Notification.Kind.MENTORING, Notification.Kind.EVENT]


def digest_items(user: User, *, since: dt.datetime, limit: int
                 ) -> tuple[list[DigestItem], int, list[int]]:
    """The person's digest: (top items, total count, ids of notifications included).

    Ranked: mentions and replies (and the other items addressed to the person) first,
    then new posts in their own team's space, their networks' spaces, the network-wide
    space; newest first within each rank.
    """

    notes = list(Notification.objects.filter(user=user, read_at__isnull=True,
                                             digested_at__isnull=True)
                 .order_by("-created_at")[:500])
    items = [DigestItem(_DIRECT_ORDER.index(Notification.Kind(n.kind)) / 10, n.created_at,
                        n.text, n.url) for n in notes]
    posts = (access.visible_posts(user).filter(created_at__gt=since, hidden=False)
             .exclude(author=user)
             .select_related("space__team__jurisdiction", "space__team__learning_network",
                             "space__network", "author"))
    total_posts = posts.count()
    teams, team_networks, coached = access.community_ids(user)
    for post in posts.order_by("-created_at")[: limit * 5]:
        space = post.space
        if space.kind == Space.Kind.TEAM and space.team_id in teams:
            rank = 1
        elif space.learning_network_id in (team_networks | coached):
            rank = 2
        elif space.kind == Space.Kind.NETWORK_WIDE:
            rank = 3
        else:
            rank = 4
        words = {"kind": post.get_kind_display(), "title": post.title,
                 "who": post.author.display_name}
        items.append(DigestItem(rank, post.created_at,
                                gettext("%(kind)s: %(title)s (%(who)s)") % words,
                                post.get_absolute_url(), where=space.display_name))
    items.sort(key=lambda i: (i.rank, -i.when.timestamp()))
    return items[:limit], len(notes) + total_posts, [n.pk for n in notes]


def digest_recipients():
    """Active people with a place in the network."""
    return access.network_members()


def send_digests(*, now: dt.datetime | None = None, log: Callable[[str], None] = print
                 ) -> list[tuple[User, int]]:
    """Send each person whose digest is due their digest for this period, at most once.

    The DigestRun row (unique per person and period) is written first, in the same
    transaction that marks the items digested; the e-mail leaves after it commits. A
    second or interrupted run finds the row and sends nothing again.
    """
    now = now or timezone.now()
    people = list(digest_recipients())
    have = set(NotificationPreference.objects.filter(user__in=people)
               .values_list("user_id", flat=True))
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=p) for p in people if p.pk not in have],
        ignore_conflicts=True)
    prefs = {p.user_id: p for p in NotificationPreference.objects.filter(user__in=people)}
    last = dict(DigestRun.objects.filter(user__in=people).order_by("created_at")
                .values_list("user_id", "created_at"))
    sent: list[tuple[User, int]] = []
    cap = digest_cap()
    for person in people:
        pref = prefs[person.pk]
        if pref.digest == NotificationPreference.Digest.OFF or not person.email:
            continue
        key = period_key(pref.digest, now)
        span = dt.timedelta(days=1 if pref.digest == NotificationPreference.Digest.DAILY
                            else 7)
        since = last.get(person.pk) or now - span
        with transaction.atomic():
            try:
                with transaction.atomic():
                    run = DigestRun.objects.create(user=person, period_key=key, created_at=now)
            except IntegrityError:
                continue  # already sent (or being sent) this period
            with reader_language(person):  # the posts' kinds
                items, total, note_ids = digest_items(person, since=since, limit=cap)
            Notification.objects.filter(pk__in=note_ids).update(digested_at=now)
            run.items = total
            run.save(update_fields=["items"])
            if not items:
                continue
            daily = pref.digest == NotificationPreference.Digest.DAILY
            context = {"items": items, "more": max(total - len(items), 0),
                       "more_url": absolute(reverse("community:feed")),
                       "inbox_url": absolute(reverse("community:inbox")),
                       "daily": daily}
            transaction.on_commit(partial(_send, person, partial(_digest_subject, daily, total),
                                          "community/email/digest.txt", context))
            sent.append((person, total))
            log(f"digest for {person.email}: {total} item(s), period {key}")
    return sent


def _digest_subject(daily: bool, total: int) -> str:
    if daily:
        return ngettext("Your daily CoIIN digest: %(n)s new item",
                        "Your daily CoIIN digest: %(n)s new items", total) % {"n": total}
    return ngettext("Your weekly CoIIN digest: %(n)s new item",
                    "Your weekly CoIIN digest: %(n)s new items", total) % {"n": total}


# Reporting: due dates and reviews (sent by the measures app's signals) ---------------

def _data_leads(team) -> list[User]:
    """The team's active data leads; its team leads when it has no data lead (as the
    reminder e-mails do), so someone always hears."""
    from coiin.network.models import TeamMembership

    rows = list(TeamMembership.objects.filter(
        team=team, user__is_active=True,
        role__in=[TeamMembership.Role.DATA_LEAD, TeamMembership.Role.LEAD])
        .select_related("user").order_by("user__email"))
    data_leads = [m.user for m in rows if m.role == TeamMembership.Role.DATA_LEAD]
    return data_leads or [m.user for m in rows]


def _reviewers(team) -> list[User]:
    """Faculty of the team's learning network: they review its data."""
    return list(User.objects.filter(faculty_roles__learning_network_id=team.learning_network_id,
                                    is_active=True).distinct().order_by("email"))


def _data_url(submission) -> str:
    team = submission.team
    return reverse("enter_data", args=[team.learning_network.slug,
                                       team.jurisdiction.postal_code.lower(),
                                       submission.period.label])


def _once(*, people: Sequence[User], kind: str, source, text: Callable[[], str],
          url: str) -> list[Notification]:
    """Notify each person at most once about this source (a re-run adds nothing); the text
    is worded in each person's language (their profile's; English where they chose none)."""
    ct = ContentType.objects.get_for_model(source)
    told = set(Notification.objects.filter(kind=kind, content_type=ct, object_id=source.pk,
                                           user__in=people).values_list("user_id", flat=True))
    return notify_each(people=[p for p in people if p.pk not in told], kind=kind, text=text,
                       url=url, source=source)


def _quote(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def period_due(*, submission, kind: str, due: dt.date) -> list[Notification]:
    """Tell the team's data leads that a period's data are due: once per team-period, so
    the overdue reminder after the due-soon one adds nothing to the inbox."""
    from coiin.measures.models import Reminder

    team = submission.team
    overdue = kind == Reminder.Kind.OVERDUE

    def text() -> str:
        words = {"team": team, "period": submission.period.display,
                 "when": date_format(due, gettext("F j, Y"))}
        if overdue:
            return gettext("%(team)s: %(period)s data were due on %(when)s") % words
        return gettext("%(team)s: %(period)s data are due on %(when)s") % words
    return _once(people=_data_leads(team), kind=Notification.Kind.DUE, source=submission,
                 text=text, url=_data_url(submission))


def submission_moved(*, submission, action: str, by: User | None, event) -> list[Notification]:
    """Submitted: the network's faculty (its reviewers) hear. Reviewed (accepted) or
    reopened (returned with comments): the person who submitted and the data leads."""
    team = submission.team
    sentences = {
        "submitted": lambda: gettext("%(who)s submitted %(what)s for review"),
        "reviewed": lambda: gettext("%(who)s reviewed %(what)s: “%(note)s”"),
        "reopened": lambda: gettext("%(who)s returned %(what)s with comments: “%(note)s”")}
    if action not in sentences:
        return []

    def text() -> str:
        return sentences[action]() % {
            "who": by.display_name if by is not None else gettext("Someone"),
            "what": f"{team}, {submission.period.display}", "note": _quote(event.note)}

    if action == "submitted":
        people = _reviewers(team)
    else:
        people = _data_leads(team) + ([submission.submitted_by]
                                      if submission.submitted_by else [])
    people = [p for p in people if p.is_active and (by is None or p.pk != by.pk)]
    return _once(people=people, kind=Notification.Kind.REVIEW, source=event, text=text,
                 url=_data_url(submission))


def on_period_due(sender, *, submission, kind, due, **kwargs) -> None:
    period_due(submission=submission, kind=kind, due=due)


def on_submission_moved(sender, *, submission, action, by, event, **kwargs) -> None:
    submission_moved(submission=submission, action=action, by=by, event=event)
