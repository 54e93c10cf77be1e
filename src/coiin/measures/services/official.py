"""Copying a jurisdiction's official figures into its teams' official-outcome values.

The store (``coiin.vitals``) holds one figure per jurisdiction; each team of the
jurisdiction that reports one of the catalog's ``FROM_VITALS`` measures gets it as its
value of that measure and period (numerator and denominator, the source in the comment),
written here with its history like any other value, so charts, reports and summaries read
it unchanged. Where the store has a measure-period, it wins: a value the team typed
before is replaced (the history keeps it), and a stratum the store lacks is cleared.
Where it has nothing, the team's own values stay as they are.

``sync`` runs inside the vitals writer's transaction (``vitals.changes``) and when a team
takes up a measure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from coiin.network.models import User

from .. import official
from ..catalog import FROM_VITALS
from ..changes import values_changed
from ..models import DataValue, Measure, Stratum, Submission, TeamMeasure

REASON = "official figure"


def sync_figures(keys: frozenset[tuple[int, int]], user: User | None = None) -> int:
    """The callback ``vitals.changes`` calls: (jurisdiction, year) pairs changed, stored by
    ``user`` (the author of the copies' history)."""
    years: dict[int, set[int]] = defaultdict(set)
    for jurisdiction_id, year in keys:
        years[jurisdiction_id].add(year)
    all_years = {y for ys in years.values() for y in ys}
    return sync(jurisdiction_ids=set(years), years=all_years, user=user)


def sync(*, jurisdiction_ids: Iterable[int], years: Iterable[int] | None = None,
         team_ids: Iterable[int] | None = None, user: User | None = None) -> int:
    """Bring the teams' official-outcome values in line with the store. Returns the
    number of values written or cleared."""
    chosen = TeamMeasure.objects.filter(
        active=True, measure__code__in=list(FROM_VITALS),
        team__jurisdiction_id__in=list(jurisdiction_ids)).select_related("team", "measure")
    if team_ids is not None:
        chosen = chosen.filter(team_id__in=list(team_ids))
    pairs = list(chosen)
    if not pairs:
        return 0
    frequencies = {tm.measure.code: tm.measure.frequency for tm in pairs}
    found = official.cells({tm.team.jurisdiction_id for tm in pairs}, frequencies,
                           None if years is None else list(years))
    strata = {s.english: s for s in Stratum.objects.all()}  # the store names groups in English
    changed = 0
    touched: set[tuple[int, int]] = set()
    for tm in pairs:
        measure, team = tm.measure, tm.team
        for (j, code, period), by_stratum in found.items():
            if j != team.jurisdiction_id or code != measure.code:
                continue
            submission, _ = Submission.objects.get_or_create(
                team=team, frequency=period.frequency.value, period_start=period.start)
            stored = {v.stratum_id: v for v in submission.values.filter(measure=measure)}
            wanted: dict[int | None, official.Cell] = {}
            for label, cell in by_stratum.items():
                stratum = strata.get(label) if label else None
                if label and (stratum is None or stratum.kind != measure.stratification):
                    continue
                wanted[stratum.pk if stratum else None] = cell
            n = _write(submission, measure, stored, wanted, strata, user)
            if n:
                changed += n
                touched.add((team.pk, measure.pk))
    values_changed(touched)
    return changed


def _write(submission: Submission, measure: Measure,
           stored: dict[int | None, DataValue],
           wanted: dict[int | None, official.Cell], strata: dict[str, Stratum],
           user: User | None) -> int:
    changed = 0
    by_pk = {s.pk: s for s in strata.values()}
    for stratum_id, cell in wanted.items():
        value = stored.get(stratum_id)
        comment = cell.describe()[:1000]
        num, den = Decimal(cell.numerator), Decimal(cell.denominator)
        if value is not None and value.numerator == num and value.denominator == den \
                and value.value is None and value.comment == comment:
            continue
        if value is None:
            value = DataValue(submission=submission, measure=measure,
                              stratum=by_pk.get(stratum_id) if stratum_id else None)
        value.numerator, value.denominator, value.value = num, den, None
        value.text, value.comment, value.warnings_confirmed = "", comment, ""
        value.updated_by = user
        value._change_reason = f"{REASON} ({comment})"  # type: ignore[attr-defined]
        value._history_user = user  # type: ignore[attr-defined]
        value.save()
        changed += 1
    for stratum_id, value in stored.items():
        if stratum_id not in wanted:
            value._change_reason = (  # type: ignore[attr-defined]
                f"{REASON}: the official total replaces the team's strata")
            value._history_user = user  # type: ignore[attr-defined]
            value.delete()
            changed += 1
    return changed


def official_cells(submission: Submission, measures: list[Measure]
                   ) -> dict[int, dict[str, official.Cell]]:
    """{measure id: {stratum label: Cell}} of the measures official in this team-period."""
    codes = {m.code: m for m in measures if m.code in FROM_VITALS}
    if not codes:
        return {}
    period = submission.period
    found = official.cells([submission.team.jurisdiction_id],
                           {c: m.frequency for c, m in codes.items()}, [period.start.year])
    return {codes[code].pk: dict(by_stratum)
            for (_, code, p), by_stratum in found.items() if p == period}
