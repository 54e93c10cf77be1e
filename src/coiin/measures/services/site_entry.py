"""Site-level reporting: which of a team's measures its sites report, and a site's values.

A team with reporting units (hospitals, clinics) may report a count or ratio measure by
site. The sites' values are checked as a team's are (``validation.check_entries`` against
the site's own history; warnings need a reason), stored with their history, and the team's
value is rolled up from them in the same transaction (``rollup.roll_up``). Site staff
(a membership with a ``unit``) write only their own site's values.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from coiin.network.models import ReportingUnit, Team, User

from ..models import Measure, SiteValue, Submission, TeamMeasure
from ..validation import Entry, Issue, check_entries
from .reporting import (
    DataErrors,
    EditConflict,
    ReportingError,
    _assert_editable,
    _same,
    by_site_refusals,
    check,
    staff_unit_id,
    unconfirmed,
    write_values,
)
from .rollup import roll_up

# Counts and ratios add up across sites; a sampled measure's measurements pool.
SITE_TYPES = {Measure.Type.RATIO, Measure.Type.COUNT, Measure.Type.SAMPLED}


@dataclass
class SiteEntry:
    """One site's value of a measure, as typed."""

    unit: ReportingUnit
    entry: Entry


def site_issue(issue: Issue, unit: ReportingUnit) -> Issue:
    """The issue, naming the site where a stratum is named: "SS-CRIB 2015-03 [Grady] ..."."""
    where = f"{unit.name}: {issue.stratum}" if issue.stratum else unit.name
    return replace(issue, stratum=where)


# -- choosing ----------------------------------------------------------------------------


def may_report_by_site(measure: Measure) -> bool:
    """Counts and ratios add up across sites and a sampled measure's measurements pool;
    categories and free text do not."""
    return measure.type in SITE_TYPES


def set_by_site(*, team: Team, measures: Iterable[Measure]) -> list[Measure]:
    """Report exactly these of the team's measures by site (the others as a team).

    Only the team's chosen count, ratio and sampled measures, and only when the team has
    reporting units. Periods already reported keep their stored team figures until a site's
    value in them changes. Returns the measures now reported by site.
    """
    wanted = list(measures)
    if wanted and not team.reporting_units.exists():
        raise ReportingError(_("%(team)s has no sites (reporting units) yet; add its sites before "
                               "choosing measures to report by site.") % {"team": team})
    chosen = {tm.measure_id: tm for tm in
              TeamMeasure.objects.filter(team=team, active=True).select_related("measure")}
    problems = []
    for m in wanted:
        if m.pk not in chosen:
            problems.append(_("%(measure)s is not among %(team)s's measures")
                            % {"measure": m.code, "team": team})
        elif not may_report_by_site(m):
            problems.append(_("%(measure)s is a %(type)s measure; only counts, ratios and "
                              "sampled measurements add up across sites")
                            % {"measure": m.code, "type": m.get_type_display().lower()})
    if problems:
        raise ReportingError(_("%(problems)s.") % {"problems": "; ".join(problems)})
    ids = {m.pk for m in wanted}
    with transaction.atomic():
        TeamMeasure.objects.filter(team=team, measure_id__in=ids).update(by_site=True)
        TeamMeasure.objects.filter(team=team).exclude(measure_id__in=ids).update(by_site=False)
    return sorted(wanted, key=lambda m: m.code)


def site_measures(team: Team) -> list[Measure]:
    """The team's measures reported by site."""
    return list(Measure.objects.filter(team_measures__team=team, team_measures__active=True,
                                       team_measures__by_site=True).order_by("code"))


# -- saving ------------------------------------------------------------------------------


def site_results_before(submission: Submission, unit_ids: Iterable[int],
                        codes: Iterable[str]) -> dict[int, dict[tuple[str, str], list[float]]]:
    """Each site's earlier shown results per (measure code, stratum code), oldest first."""
    out: dict[int, dict[tuple[str, str], list[float]]] = defaultdict(lambda: defaultdict(list))
    values = (SiteValue.objects.filter(
        unit_id__in=set(unit_ids), submission__team_id=submission.team_id,
        submission__frequency=submission.frequency,
        submission__period_start__lt=submission.period_start,
        submission__status__in=Submission.SHOWN_STATUSES, measure__code__in=list(codes))
        .select_related("measure", "stratum").order_by("submission__period_start"))
    for v in values:
        if v.result is not None:
            out[v.unit_id][(v.measure.code, v.stratum.code if v.stratum else "")].append(
                float(v.result))
    return out


def check_sites(submission: Submission, entries: Sequence[SiteEntry]) -> list[Issue]:
    """Errors and warnings for sites' entries, each site against its own history; every
    issue names its site."""
    history = site_results_before(submission, {e.unit.pk for e in entries},
                                  {e.entry.measure.code for e in entries})
    by_unit: dict[int, list[SiteEntry]] = defaultdict(list)
    for e in entries:
        by_unit[e.unit.pk].append(e)
    issues: list[Issue] = []
    for unit_id, group in by_unit.items():
        unit = group[0].unit
        found = check_entries([e.entry for e in group], history.get(unit_id, {}))
        issues.extend(site_issue(i, unit) for i in found)
    return issues


def _unconfirmed(issues: Iterable[Issue], entries: Sequence[SiteEntry]) -> list[Issue]:
    confirmed = {(e.entry.measure.code, site_issue(
        Issue("warning", "", "", "", "", e.entry.stratum.label if e.entry.stratum else ""),
        e.unit).stratum) for e in entries if e.entry.confirm.strip()}
    return [i for i in issues if i.level == "warning"
            and (i.measure_code, i.stratum) not in confirmed]


def _refusals(submission: Submission, user: User | None,
              entries: Sequence[SiteEntry]) -> list[str]:
    team = submission.team
    by_site = {m.pk for m in site_measures(team)}
    own = staff_unit_id(user, team)
    problems = []
    for e in entries:
        m = e.entry.measure
        if e.unit.team_id != team.pk:
            problems.append(_("%(site)s is not one of %(team)s's sites")
                            % {"site": e.unit, "team": team})
        elif own is not None and e.unit.pk != own:
            problems.append(_("you enter values for your own site only, not for %(site)s")
                            % {"site": e.unit})
        elif m.pk not in by_site:
            problems.append(_("%(measure)s is not reported by site in %(team)s")
                            % {"measure": m.code, "team": team})
    return sorted(set(problems))


def save_site_values(*, submission: Submission, user: User, entries: Sequence[SiteEntry],
                     expected_version: int, reason: str = "", today: dt.date | None = None,
                     team_entries: Sequence[Entry] = ()) -> list[Issue]:
    """Check and store sites' values in a team-period and roll the team's values up from
    them, all or nothing; returns the kept warnings. ``team_entries`` (the page's other
    measures) are checked and stored with them, as ``save_values`` does, under one version.

    Raises ReportingError when the period is not open, a site is not the team's, the
    measure is not reported by site or site staff write another site (or team values);
    DataErrors on any error or unconfirmed warning (and on a team entry of a by-site
    measure); EditConflict when the team-period changed since ``expected_version``.
    A blank entry removes a site's stored value.
    """
    _assert_editable(submission, today)
    refused = _refusals(submission, user, entries)
    if team_entries and staff_unit_id(user, submission.team) is not None:
        refused.append(_("site staff enter their own site's values, not the team's"))
    if refused:
        raise ReportingError(_("%(problems)s. Nothing was saved.") % {
            "problems": "; ".join(refused)})
    team_refused = by_site_refusals(submission, team_entries)
    if team_refused:
        raise DataErrors(team_refused)
    issues = check_sites(submission, entries)
    team_issues = check(submission, team_entries) if team_entries else []
    blocking = [i for i in issues + team_issues if i.level == "error"] \
        + _unconfirmed(issues, entries) + unconfirmed(team_issues, team_entries)
    if blocking:
        raise DataErrors(blocking)
    with transaction.atomic():
        bumped = Submission.objects.filter(pk=submission.pk, version=expected_version).update(
            version=F("version") + 1, updated_at=timezone.now())
        if not bumped:
            submission.refresh_from_db()
            raise EditConflict(submission, [])
        submission.version = expected_version + 1
        if team_entries:
            write_values(submission=submission, user=user, entries=team_entries,
                         reason=reason)
        touched = write_site_values(submission=submission, user=user, entries=entries,
                                    reason=reason)
        roll_up([submission.pk], touched, user=user, reason=reason or "rolled up from sites")
    return [i for i in issues + team_issues if i.level == "warning"]


def write_site_values(*, submission: Submission, user: User | None,
                      entries: Sequence[SiteEntry], reason: str = "") -> set[int]:
    """Store checked site entries (callers check first); returns the measures changed."""
    existing = {(v.unit_id, v.measure_id, v.stratum_id): v
                for v in submission.site_values.all()}
    touched: set[int] = set()
    for se in entries:
        e = se.entry
        current = existing.get((se.unit.pk, e.measure.pk,
                                e.stratum.pk if e.stratum is not None else None))
        if e.is_blank:
            if current is not None:
                current._change_reason = reason or "cleared"  # type: ignore[attr-defined]
                current._history_user = user  # type: ignore[attr-defined]
                current.delete()
                touched.add(e.measure.pk)
            continue
        fields = {"numerator": e.parsed.get("numerator"),
                  "denominator": e.parsed.get("denominator"), "value": e.parsed.get("value"),
                  "measurements": list(e.samples), "comment": e.comment.strip(),
                  "warnings_confirmed": e.confirm.strip()}
        if current is not None and all(_same(getattr(current, k), v) for k, v in fields.items()):
            continue
        value = current or SiteValue(submission=submission, unit=se.unit, measure=e.measure,
                                     stratum=e.stratum)
        for k, v in fields.items():
            setattr(value, k, v)
        value.updated_by = user
        value._change_reason = reason  # type: ignore[attr-defined]  # read by simple_history
        value._history_user = user  # type: ignore[attr-defined]
        value.save()
        touched.add(e.measure.pk)
    return touched


def add_site_values(*, values: Sequence[SiteValue], reason: str,
                    entered_at: Mapping[int, dt.datetime] | None = None) -> int:
    """Store new site values into saved team-periods, with their "+" history records, and
    roll their teams' values up (generated data: not checked here, as ``add_values``).

    ``entered_at`` gives, per submission id, the history date (default: now). All or
    nothing: a value already stored raises IntegrityError and nothing is kept.
    """
    for v in values:
        if v.pk is not None or v.submission_id is None or v.unit_id is None:
            raise ValueError(f"{v!r}: only new values of saved team-periods can be added")
    now = timezone.now()
    dates = entered_at or {}
    by_date: dict[dt.datetime, list[SiteValue]] = defaultdict(list)
    for v in values:
        by_date[dates.get(v.submission_id, now)].append(v)
    with transaction.atomic():
        for date, group in by_date.items():
            for v in group:
                v.updated_at = now
                v._history_user = v.updated_by  # type: ignore[attr-defined]  # the author
            bulk_create_with_history(group, SiteValue, batch_size=500,
                                     default_change_reason=reason[:100], default_date=date)
        roll_up({v.submission_id for v in values}, {v.measure_id for v in values},
                reason=reason[:100])
    return len(values)
