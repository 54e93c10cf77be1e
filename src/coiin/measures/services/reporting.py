"""One team-period at a time: saving its values from the entry page, and moving it through
draft → submitted → reviewed → locked (and back, recorded)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from coiin.network.models import Team, TeamMembership, User
from coiin.network.written import active_language

from .. import signals
from ..changes import values_changed
from ..models import DataValue, Measure, Submission, SubmissionEvent, TeamMeasure
from ..periods import Frequency, Period
from ..validation import NUMBER_FIELDS, Entry, Issue, check_entries, message
from . import official
from .rollup import by_site_pairs

Status = Submission.Status


class ReportingError(Exception):
    """A reporting action that cannot be done; the message says why."""


class DataErrors(ReportingError):
    """Values with errors (or unconfirmed warnings); nothing was saved."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("; ".join(str(i) for i in issues))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "warning"]


@dataclass(frozen=True)
class Change:
    measure_code: str
    stratum: str
    field: str
    yours: str
    theirs: str
    by: str


class EditConflict(ReportingError):
    """Someone else saved this team-period after you opened it; nothing of yours was saved."""

    def __init__(self, submission: Submission, changes: list[Change]):
        self.submission = submission
        self.changes = changes
        who = sorted({c.by for c in changes}) or ["someone else"]
        super().__init__(
            f"{', '.join(who)} saved {submission} after you opened it. Your changes were not "
            "saved: review theirs below and enter yours again."
        )


# -- periods ---------------------------------------------------------------------------


def due_date(period: Period) -> dt.date:
    return period.due_date(settings.REPORTING_DUE_DAYS)


def closes_on(submission: Submission) -> dt.date:
    """The last day data can be entered: due date plus grace, or a granted exception."""
    regular = due_date(submission.period) + dt.timedelta(days=settings.REPORTING_GRACE_DAYS)
    if submission.open_until and submission.open_until > regular:
        return submission.open_until
    return regular


def is_closed(submission: Submission, today: dt.date | None = None) -> bool:
    return (today or timezone.localdate()) > closes_on(submission)


def submission_for(team: Team, period: Period) -> Submission:
    """The team-period (created as a draft the first time anyone needs it)."""
    submission, _created = Submission.objects.get_or_create(
        team=team, frequency=period.frequency.value, period_start=period.start)
    return submission


def team_measures(team: Team, frequency: Frequency | None = None) -> list[Measure]:
    qs = Measure.objects.filter(team_measures__team=team, team_measures__active=True)
    if frequency is not None:
        # A period's measures: an event log is kept event by event, not per period.
        qs = qs.filter(frequency=frequency.value, records_events=False)
    return list(qs.select_related("learning_network").order_by("code"))


def choose_measures(*, team: Team, measures: Iterable[Measure]) -> None:
    """Set the measures a team reports; dropped ones are kept inactive, with their data.

    The pooled network and national series count only the teams that report a measure, so
    the (team, measure) pairs taken up or dropped are told to ``changes.values_changed``.
    """
    wanted = {m.pk for m in measures}
    with transaction.atomic():
        # One read, one update, one insert: not a look-up, write and savepoint per measure.
        have = dict(TeamMeasure.objects.filter(team=team).values_list("measure_id", "active"))
        before = {m for m, active in have.items() if active}
        TeamMeasure.objects.filter(team=team, measure_id__in=wanted - before).update(active=True)
        TeamMeasure.objects.bulk_create([TeamMeasure(team=team, measure_id=m) for m in
                                         sorted(wanted - have.keys())], ignore_conflicts=True)
        TeamMeasure.objects.filter(team=team).exclude(measure_id__in=wanted).update(active=False)
        values_changed((team.pk, m) for m in before ^ wanted)
        if wanted - before:
            official.sync(jurisdiction_ids=[team.jurisdiction_id], team_ids=[team.pk])


# -- values ----------------------------------------------------------------------------


def results_before(team: Team, period: Period, codes: Iterable[str]
                   ) -> dict[tuple[str, str], list[float]]:
    """The team's earlier shown results per (measure code, stratum code), oldest first."""
    out: dict[tuple[str, str], list[float]] = defaultdict(list)
    values = (
        DataValue.objects.filter(
            submission__team=team, submission__frequency=period.frequency.value,
            submission__period_start__lt=period.start,
            submission__status__in=Submission.SHOWN_STATUSES, measure__code__in=list(codes))
        .select_related("measure", "stratum").order_by("submission__period_start")
    )
    for v in values:
        if v.result is not None:
            out[(v.measure.code, v.stratum.code if v.stratum else "")].append(float(v.result))
    return out


def check(submission: Submission, entries: Sequence[Entry]) -> list[Issue]:
    """Errors and warnings for entries into one team-period, against its history."""
    history = results_before(submission.team, submission.period,
                             {e.measure.code for e in entries})
    return check_entries(entries, history)


def unconfirmed(issues: Iterable[Issue], entries: Sequence[Entry]) -> list[Issue]:
    """Warnings whose entry carries no reason for keeping the value."""
    confirmed = {(e.measure.code, e.stratum.label if e.stratum else "")
                 for e in entries if e.confirm.strip()}
    return [i for i in issues if i.level == "warning"
            and (i.measure_code, i.stratum) not in confirmed]


def _assert_editable(submission: Submission, today: dt.date | None = None) -> None:
    if submission.status != Status.DRAFT:
        raise ReportingError(
            _("%(submission)s is %(status)s; it must be reopened before its values can change.")
            % {"submission": submission, "status": submission.get_status_display().lower()})
    if is_closed(submission, today):
        raise ReportingError(
            _("%(submission)s closed on %(closes_on)s. Ask the backbone staff for an exception to "
              "enter data after that.")
            % {"submission": submission, "closes_on": formats.date_format(closes_on(submission))})


def save_values(*, submission: Submission, user: User, entries: Sequence[Entry],
                expected_version: int, reason: str = "",
                today: dt.date | None = None) -> list[Issue]:
    """Check and store a team-period's values, all or nothing; returns kept warnings.

    Raises DataErrors on any error or unconfirmed warning, EditConflict when the
    submission changed since ``expected_version``, ReportingError when it is not open.
    A blank entry removes a stored value. Every change lands in the audit history.
    """
    _assert_editable(submission, today)
    if entries and staff_unit_id(user, submission.team) is not None:
        raise ReportingError(_("Site staff enter their own site's values, not the team's. "
                               "Nothing was saved."))
    refused = by_site_refusals(submission, entries) + official_refusals(submission, entries)
    if refused:
        raise DataErrors(refused)
    issues = check(submission, entries)
    blocking = [i for i in issues if i.level == "error"] + unconfirmed(issues, entries)
    if blocking:
        raise DataErrors(blocking)
    with transaction.atomic():
        bumped = Submission.objects.filter(pk=submission.pk, version=expected_version).update(
            version=F("version") + 1, updated_at=timezone.now())
        if not bumped:
            submission.refresh_from_db()
            raise EditConflict(submission, changes_since(submission, expected_version, entries))
        submission.version = expected_version + 1
        write_values(submission=submission, user=user, entries=entries, reason=reason)
    return [i for i in issues if i.level == "warning"]


def staff_unit_id(user: User | None, team: Team) -> int | None:
    """The one site a member of this team is limited to (site staff), or None."""
    if user is None or not user.is_authenticated:
        return None
    return TeamMembership.objects.filter(team=team, user=user).values_list(
        "unit_id", flat=True).first()


def by_site_refusals(submission: Submission, entries: Sequence[Entry]) -> list[Issue]:
    """Errors for entries that would change a team figure rolled up from its sites."""
    pairs = by_site_pairs([submission.team_id])
    candidates = [e for e in entries if (submission.team_id, e.measure.pk) in pairs]
    if not candidates:
        return []
    stored = {(v.measure_id, v.stratum_id): v for v in submission.values.all()} \
        if submission.pk else {}
    out = []
    for e in candidates:
        current = stored.get((e.measure.pk, e.stratum.pk if e.stratum is not None else None))
        if e.is_blank and current is None:
            continue
        if current is not None and not e.is_blank and all(
                _same(getattr(current, name), _number_or_text(getattr(e, name)))
                for name in NUMBER_FIELDS):
            continue
        out.append(Issue("error", e.measure.code, e.period_label, "value", message("by_site"),
                         e.stratum.label if e.stratum is not None else "", e.row, "by_site"))
    return out


def official_refusals(submission: Submission, entries: Sequence[Entry]) -> list[Issue]:
    """Errors for typed entries of a measure-period the jurisdiction's store holds: the
    message in English, its params (where the figures come from) in the active language,
    which is the reader's (``messages.localize`` words it)."""
    held = official.official_cells(submission, [e.measure for e in entries if not e.is_blank])
    return [Issue("error", e.measure.code, e.period_label, "value",
                  message("official", (("source", held[e.measure.pk][""].describe()),)),
                  e.stratum.label if e.stratum is not None else "", e.row, "official",
                  (("source", held[e.measure.pk][""].shown()),))
            for e in entries if e.measure.pk in held and not e.is_blank]


def _number_or_text(raw: object) -> object:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        return Decimal(str(raw).strip().replace(",", ""))
    except ArithmeticError:
        return raw


def write_values(*, submission: Submission, user: User | None, entries: Sequence[Entry],
                 reason: str = "") -> int:
    """Store checked entries (no checks here: callers check first). Returns rows changed."""
    existing = {
        (v.measure_id, v.stratum_id): v
        for v in submission.values.select_related("measure", "stratum")
    }
    changed = 0
    touched: set[int] = set()
    for e in entries:
        key = (e.measure.pk, e.stratum.pk if e.stratum is not None else None)
        current = existing.get(key)
        if e.is_blank:
            if current is not None:
                # simple_history reads these off the instance; they are not fields
                current._change_reason = reason or "cleared"  # type: ignore[attr-defined]
                current._history_user = user  # type: ignore[attr-defined]
                current.delete()
                changed += 1
                touched.add(e.measure.pk)
            continue
        fields: dict[str, object] = {name: e.parsed.get(name) for name in NUMBER_FIELDS}
        if fields["sample_size"] is not None:
            fields["sample_size"] = int(fields["sample_size"])  # type: ignore[call-overload]
        fields.update(text=e.text.strip(), comment=e.comment.strip(),
                      warnings_confirmed=e.confirm.strip(), measurements=list(e.samples))
        if current is not None and all(_same(getattr(current, k), v) for k, v in fields.items()):
            continue
        value = current or DataValue(submission=submission, measure=e.measure, stratum=e.stratum)
        for k, v in fields.items():
            setattr(value, k, v)
        value.updated_by = user
        value._change_reason = reason  # type: ignore[attr-defined]  # read by simple_history
        # also outside a request (imports, the API, tests)
        value._history_user = user  # type: ignore[attr-defined]
        value.save()
        changed += 1
        touched.add(e.measure.pk)
    values_changed((submission.team_id, m) for m in touched)
    return changed


def _same(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, list) or isinstance(b, list):
        return a == b
    if isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    return Decimal(str(a)) == Decimal(str(b))


def changes_since(submission: Submission, version: int, entries: Sequence[Entry]) -> list[Change]:
    """What is stored now that differs from what the person was about to save."""
    stored = {(v.measure_id, v.stratum_id): v
              for v in submission.values.select_related("measure", "stratum", "updated_by")}
    out = []
    for e in entries:
        v = stored.get((e.measure.pk, e.stratum.pk if e.stratum is not None else None))
        for name in NUMBER_FIELDS:
            theirs = getattr(v, name) if v is not None else None
            yours = e.parsed.get(name)
            if not _same(theirs, yours):
                out.append(Change(e.measure.code, e.stratum.label if e.stratum else "", name,
                                  "" if yours is None else f"{yours}",
                                  "" if theirs is None else f"{Decimal(theirs).normalize():f}",
                                  v.updated_by.display_name if v and v.updated_by else
                                  "someone else"))
    return out


# -- workflow --------------------------------------------------------------------------


def _move(submission: Submission, *, user: User, action: str, to: str, allowed_from: set[str],
          note: str = "", **fields: object) -> Submission:
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status not in allowed_from:
            raise ReportingError(_("%(locked)s is %(status)s; it cannot be %(action)s.") % {
                "locked": locked, "status": locked.get_status_display().lower(),
                "action": SubmissionEvent.DONE.get(action, action)})
        event = SubmissionEvent.objects.create(submission=locked, by=user, action=action,
                                               from_status=locked.status, to_status=to,
                                               note=note)
        if "assessment" in fields:  # written in the reviewer's language (network/written.py)
            fields["assessment_language"] = active_language()
        locked.status, locked.version = to, F("version") + 1
        for k, v in fields.items():
            setattr(locked, k, v)
        locked.save()
        locked.refresh_from_db()
        values_changed((locked.team_id, m) for m in
                       locked.values.values_list("measure_id", flat=True).distinct())
        if action in ANNOUNCED:
            # The inbox hears of it after commit (see ``signals``); nothing if rolled back.
            signals.send_after_commit(signals.submission_moved, submission=locked,
                                      action=action, by=user, event=event)
    return locked


# Workflow steps other apps hear about (the community inbox: reviewers and the team).
ANNOUNCED = {"submitted", "reviewed", "reopened"}


def submit(*, submission: Submission, user: User, is_final: bool = False,
           today: dt.date | None = None) -> Submission:
    """Draft → submitted. Needs at least one value; the period must be open."""
    if is_closed(submission, today):
        _assert_editable(submission, today)
    if not submission.values.exists():
        raise ReportingError(_("%(submission)s has no values yet; enter some before submitting.")
                             % {"submission": submission})
    return _move(submission, user=user, action="submitted", to=Status.SUBMITTED,
                 allowed_from={Status.DRAFT}, submitted_at=timezone.now(), submitted_by=user,
                 is_final=is_final)


def submit_many(*, submissions: Iterable[Submission], user: User
                ) -> tuple[list[Submission], list[str]]:
    """Submit each draft that can be (after an import, say): each one on its own, as
    ``submit``; returns those submitted and, for the others, why not."""
    done, problems = [], []
    for submission in submissions:
        try:
            done.append(submit(submission=submission, user=user))
        except ReportingError as exc:
            problems.append(str(exc))
    return done, problems


def review(*, submission: Submission, user: User, assessment: str) -> Submission:
    """Submitted → reviewed, with the reviewer's written assessment."""
    if not assessment.strip():
        raise ReportingError(_("Write an assessment: what the data show and what to try next."))
    return _move(submission, user=user, action="reviewed", to=Status.REVIEWED,
                 allowed_from={Status.SUBMITTED}, note=assessment.strip(),
                 reviewed_at=timezone.now(), reviewed_by=user, assessment=assessment.strip())


def review_many(*, submissions: Iterable[Submission], user: User, assessment: str
                ) -> tuple[list[Submission], list[str]]:
    """Review each submitted period with one assessment (from the status page): each on
    its own, as ``review``; returns those reviewed and, for the others, why not."""
    done, problems = [], []
    for submission in submissions:
        try:
            done.append(review(submission=submission, user=user, assessment=assessment))
        except ReportingError as exc:
            problems.append(str(exc))
    return done, problems


def unreview(*, submission: Submission, user: User) -> Submission:
    """Reviewed → submitted: the undo of a review made a moment ago. The assessment stays
    on the period, shown as superseded until it is reviewed again."""
    return _move(submission, user=user, action="unreviewed", to=Status.SUBMITTED,
                 allowed_from={Status.REVIEWED}, note="undo of a review; review superseded")


def lock(*, submission: Submission, user: User) -> Submission:
    """Reviewed → locked: final for charts and reports."""
    return _move(submission, user=user, action="locked", to=Status.LOCKED,
                 allowed_from={Status.REVIEWED})


def lock_many(*, submissions: Iterable[Submission], user: User
              ) -> tuple[list[Submission], list[str]]:
    """Lock each reviewed period (from the status page): each on its own, as ``lock``."""
    done, problems = [], []
    for submission in submissions:
        try:
            done.append(lock(submission=submission, user=user))
        except ReportingError as exc:
            problems.append(str(exc))
    return done, problems


def unlock(*, submission: Submission, user: User) -> Submission:
    """Locked → reviewed again: the undo of a lock made a moment ago, recorded as such.
    (To change values, ``reopen`` takes the period back to a draft.)"""
    return _move(submission, user=user, action="unlocked", to=Status.REVIEWED,
                 allowed_from={Status.LOCKED}, note="undo of a lock")


def reopen(*, submission: Submission, user: User, reason: str) -> Submission:
    """Back to draft so values can change; the reason is recorded."""
    if not reason.strip():
        raise ReportingError(_("Say why the period is being reopened."))
    return _move(submission, user=user, action="reopened", to=Status.DRAFT,
                 allowed_from={Status.SUBMITTED, Status.REVIEWED, Status.LOCKED},
                 note=reason.strip())


ORDER = (Status.DRAFT, Status.SUBMITTED, Status.REVIEWED, Status.LOCKED)


def bring_forward(*, submission: Submission, user: User | None, to: str,
                  note: str) -> Submission:
    """Move a team-period forward to the status another system says it has (an interchange
    import): each step draft → submitted → reviewed → locked recorded as the workflow
    records it, with ``note`` as the reason. Never backward (ReportingError); the caller
    has checked who may take each step. Closed periods are not refused: the steps were
    taken elsewhere, when the period was open."""
    if to not in ORDER:
        raise ReportingError(_("%(to)s is not a status of a team-period.") % {"to": repr(to)})
    current = ORDER.index(Status(submission.status))
    wanted = ORDER.index(Status(to))
    if wanted < current:
        raise ReportingError(_("%(submission)s is %(status)s; it is not moved back to %(label)s.")
                             % {"submission": submission, "label": Status(to).label.lower(),
                                "status": submission.get_status_display().lower()})
    for step in ORDER[current + 1:wanted + 1]:
        if step == Status.SUBMITTED:
            if not submission.values.exists():
                raise ReportingError(_("%(submission)s has no values; it cannot be submitted.")
                                     % {"submission": submission})
            submission = _move(submission, user=user, action="submitted",  # type: ignore[arg-type]
                               to=step, allowed_from={Status.DRAFT}, note=note,
                               submitted_at=timezone.now(), submitted_by=user)
        elif step == Status.REVIEWED:
            submission = _move(submission, user=user, action="reviewed",  # type: ignore[arg-type]
                               to=step, allowed_from={Status.SUBMITTED}, note=note,
                               reviewed_at=timezone.now(), reviewed_by=user, assessment=note)
        else:
            submission = _move(submission, user=user, action="locked",  # type: ignore[arg-type]
                               to=step, allowed_from={Status.REVIEWED}, note=note)
    return submission


def grant_exception(*, submission: Submission, user: User, until: dt.date,
                    reason: str) -> Submission:
    """Keep a closed period open for entry until ``until`` (backbone staff)."""
    if until < timezone.localdate():
        raise ReportingError(_("%(until)s is in the past.") % {"until": formats.date_format(until)})
    with transaction.atomic():
        SubmissionEvent.objects.create(submission=submission, by=user, action="exception",
                                       from_status=submission.status,
                                       to_status=submission.status,
                                       note=f"open until {until.isoformat()}: {reason}".strip())
        Submission.objects.filter(pk=submission.pk).update(open_until=until)
    submission.refresh_from_db()
    return submission
