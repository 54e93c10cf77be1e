"""Keeping ChartSummary rows in step with the data: the only writer of summaries.

``refresh`` recomputes the series of some (team, measure) pairs and the pooled series of
each measure (the teams' learning networks and the nation); the reporting services call it
through ``coiin.measures.changes`` once their transaction commits, and so do the chart
settings. ``rebuild`` recomputes everything (``coiin rebuild_summaries``).

Refreshes of one measure run one after another: each holds the measure's row lock
(``SELECT ... FOR NO KEY UPDATE``, which does not block writers of values, whose foreign
keys take only a key-share lock) for its transaction, and reads the data after taking
it. So whichever refresh runs last read every value committed before it began, and two
month-end submissions at once never leave a stale pooled summary. (SQLite serialises
every write transaction, which is the same guarantee.)
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone, translation

from coiin.measures.models import DataValue, Measure, RareEvent, Submission
from coiin.measures.periods import Period
from coiin.network.models import LearningNetwork, Team

from ..building import Observation, shown_series
from ..events import event_observations, pooled_events
from ..models import (
    ChartExclusion,
    ChartPhase,
    ChartSettings,
    ChartSummary,
    NetworkChartSettings,
)
from ..network_settings import pool_settings
from ..pooled import membership_phases
from ..samples import sampled_chart, teams_sampled_series
from . import survey
from .compute import Series, fields, summarise_series

log = logging.getLogger(__name__)
Scope = ChartSummary.Scope


def refresh(pairs: Iterable[tuple[int, int]]) -> int:
    """Recompute the summaries of these (team id, measure id) series, with the pooled
    series of their measures. One transaction per measure. Returns rows written."""
    by_measure: dict[int, set[int]] = defaultdict(set)
    for team_id, measure_id in pairs:
        by_measure[measure_id].add(team_id)
    written = 0
    for measure_id in sorted(by_measure):
        team_ids = by_measure[measure_id]
        networks = set(Team.objects.filter(pk__in=team_ids)
                       .values_list("learning_network_id", flat=True))
        written += _refresh_measure(measure_id, team_ids, networks)
    return written


def refresh_network(network_id: int, measure_id: int) -> None:
    """Recompute one network's pooled summary of a measure (and the national pool), e.g.
    after its pooled chart type changed; a failure is logged (see ``refresh_after_change``)."""
    try:
        _refresh_measure(measure_id, set(), {network_id})
    except Exception:  # noqa: BLE001 - runs after commit: the change itself is saved
        log.exception("refreshing a network's pooled summary failed")


_deferred = threading.local()


def refresh_after_change(pairs: Iterable[tuple[int, int]]) -> None:
    """``refresh`` as a listener (``coiin.measures.changes``): the data are committed
    already, so a failure is logged, never raised; ``rebuild_summaries`` repairs it.
    Inside ``deferred()`` the pairs are only gathered."""
    pending = getattr(_deferred, "pairs", None)
    if pending is not None:
        pending.update(pairs)
        return
    try:
        refresh(pairs)
    except Exception:  # noqa: BLE001 - a listener must not break the request that committed
        log.exception("refreshing chart summaries failed")


@contextlib.contextmanager
def deferred() -> Iterator[set[tuple[int, int]]]:
    """Gather the changes heard in this thread and refresh their summaries once, on leaving
    (each measure once, however many times a bulk writer said it changed), e.g. around
    writing millions of values. Yields the pairs gathered so far."""
    if getattr(_deferred, "pairs", None) is not None:
        yield _deferred.pairs  # already deferred by an outer block, which refreshes
        return
    pending: set[tuple[int, int]] = set()
    _deferred.pairs = pending
    try:
        yield pending
    finally:
        _deferred.pairs = None
    refresh_after_change(pending)


def refresh_survey_pools(keys: object = None, user: object = None) -> None:
    """Official figures changed (``coiin.vitals.changes``): once they are committed, the
    pooled series of the survey measures, weighted by the births stored, are recomputed
    (the teams' own series do not read births). A failure is logged, never raised."""

    def run() -> None:
        try:
            for measure_id in survey.survey_measure_ids():
                _refresh_measure(measure_id, set(), None)
        except Exception:  # noqa: BLE001 - the figures are committed; rebuild repairs it
            log.exception("refreshing the survey measures' pooled summaries failed")

    transaction.on_commit(run)


def rebuild(networks: Sequence[LearningNetwork] | None = None) -> int:
    """Recompute every summary (or those of these networks' teams and pools, and the
    national pools of their measures). Returns rows written."""
    written = 0
    if networks is None:
        for measure_id in Measure.objects.order_by("pk").values_list("pk", flat=True):
            written += _refresh_measure(measure_id, None, None)
        return written
    network_ids = {n.pk for n in networks}
    team_ids = set(Team.objects.filter(learning_network_id__in=network_ids)
                   .values_list("pk", flat=True))
    measure_ids = set(DataValue.objects.filter(submission__team_id__in=team_ids)
                      .values_list("measure_id", flat=True).distinct())
    measure_ids |= set(ChartSummary.objects.filter(team_id__in=team_ids)
                       .values_list("measure_id", flat=True).distinct())
    # Event logs: teams with events and no values at all are found here.
    measure_ids |= set(RareEvent.objects.filter(team_id__in=team_ids)
                       .values_list("measure_id", flat=True).distinct())
    for measure_id in sorted(measure_ids):
        written += _refresh_measure(measure_id, team_ids, network_ids)
    return written


def _refresh_measure(measure_id: int, team_ids: set[int] | None,
                     network_ids: set[int] | None) -> int:
    """Team series of ``team_ids`` and network pools of ``network_ids`` (None: all), and
    the national pool, of one measure, under its row lock. The sentence stored is in the
    site's language, whichever reader's request or which worker made the refresh, and what
    it says is stored with it as message ids (``said``), worded in each reader's language
    when read (``ChartSummary.text``)."""
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        # The measure's row only (its default ordering would join other tables).
        measure = (Measure.objects.select_for_update(no_key=True, of=("self",))
                   .filter(pk=measure_id).order_by().first())
        if measure is None:
            return 0
        now = timezone.now()
        rows = _team_rows(measure, team_ids)
        if measure.is_survey:  # weighted estimates: births-weighted, not summed
            rows += survey.pooled_rows(measure, network_ids)
        else:
            rows += _network_rows(measure, network_ids)
            rows += _national_rows(measure)
        stale = ChartSummary.objects.filter(measure=measure, scope=Scope.NATIONAL)
        teams = ChartSummary.objects.filter(measure=measure, scope=Scope.TEAM)
        pools = ChartSummary.objects.filter(measure=measure, scope=Scope.NETWORK)
        if team_ids is not None:
            teams = teams.filter(team_id__in=team_ids)
        if network_ids is not None:
            pools = pools.filter(learning_network_id__in=network_ids)
        for qs in (stale, teams, pools):
            qs.delete()
        for row in rows:
            row.computed_at = now
        ChartSummary.objects.bulk_create(rows, batch_size=500)
        return len(rows)


def _shown(measure: Measure) -> QuerySet[DataValue]:
    return DataValue.objects.filter(measure=measure, stratum__isnull=True,
                                    submission__status__in=Submission.SHOWN_STATUSES)


def _team_rows(measure: Measure, team_ids: set[int] | None) -> list[ChartSummary]:
    values = DataValue.objects.filter(stratum__isnull=True)
    chart_settings = ChartSettings.objects.filter(measure=measure)
    phases_qs = ChartPhase.objects.filter(measure=measure)
    exclusions_qs = ChartExclusion.objects.filter(measure=measure)
    if team_ids is not None:
        values = values.filter(submission__team_id__in=team_ids)
        chart_settings = chart_settings.filter(team_id__in=team_ids)
        phases_qs = phases_qs.filter(team_id__in=team_ids)
        exclusions_qs = exclusions_qs.filter(team_id__in=team_ids)
    if measure.is_sampled:  # each period's measurements: xbar and s charts
        return _sampled_rows(measure, team_ids, {s.team_id: s for s in chart_settings})
    by_team = (event_observations(measure, team_ids) if measure.records_events
               else shown_series(measure, values))
    if not by_team:
        return []
    settings = {s.team_id: s for s in chart_settings}
    phases: dict[int, list[ChartPhase]] = defaultdict(list)
    for ph in phases_qs:
        phases[ph.team_id].append(ph)
    exclusions: dict[int, list[ChartExclusion]] = defaultdict(list)
    for ex in exclusions_qs:
        exclusions[ex.team_id].append(ex)
    ids = sorted(by_team)
    series = [Series(by_team[i], settings=settings.get(i), phases=phases[i],
                     exclusions=exclusions[i]) for i in ids]
    return [ChartSummary(scope=Scope.TEAM, measure=measure, team_id=i, **f)
            for i, f in zip(ids, summarise_series(measure, series), strict=True)]


def _sampled_rows(measure: Measure, team_ids: set[int] | None,
                  settings: dict[int, ChartSettings]) -> list[ChartSummary]:
    """The teams' xbar (or chosen s) charts of a sampled measure, as the chart page draws
    them; two queries whatever the number of teams."""
    by_team = teams_sampled_series(measure, team_ids)
    teams = Team.objects.in_bulk(list(by_team))
    out = []
    for i in sorted(by_team):
        tc = sampled_chart(teams[i], measure, settings.get(i), series=by_team[i], spec=False)
        out.append(ChartSummary(scope=Scope.TEAM, measure=measure, team_id=i,
                                **fields(measure, tc, Series(tc.observations))))
    return out


def _pooled(measure: Measure, rows: Iterable[tuple[Any, ...]]
            ) -> dict[int | None, Series]:
    """(group, period start, numerator sum, denominator sum, teams) rows, oldest first,
    as one pooled series per group."""
    series: dict[int | None, Series] = {}
    for group, start, num, den, teams in rows:
        s = series.setdefault(group, Series([], counts={}))
        s.obs.append(Observation(Period(start, measure.freq), float(num), float(den), None,
                                 True))
        if s.counts is not None:
            s.counts[start] = teams
    return series


def _membership_phases(series: Series, what: str) -> list[ChartPhase]:
    """A new phase where the set pooled changes for good (cohorts joining)."""
    counts = series.counts or {}
    return membership_phases([(o.period.start, counts.get(o.period.start, 0))
                              for o in series.obs], what)


def _pool_values(measure: Measure) -> QuerySet[DataValue]:
    """Values that enter a pooled series: both numerator and a non-zero denominator."""
    return (_shown(measure).filter(numerator__isnull=False, denominator__isnull=False)
            .exclude(denominator=0))


def _network_rows(measure: Measure, network_ids: set[int] | None) -> list[ChartSummary]:
    """Each network's teams that report the measure, numerators and denominators summed
    per period (rate and proportion measures); an event log, the teams' events merged."""
    if measure.records_events:
        return _network_event_rows(measure, network_ids)
    if measure.type != Measure.Type.RATIO or measure.multiplier == 1:
        return []
    values = _pool_values(measure).filter(submission__team__team_measures__measure=measure,
                                          submission__team__team_measures__active=True)
    if network_ids is not None:
        values = values.filter(submission__team__learning_network_id__in=network_ids)
    rows = (values.values_list("submission__team__learning_network_id",
                               "submission__period_start")
            .annotate(num=Sum("numerator"), den=Sum("denominator"), teams=Count("pk"))
            .order_by("submission__period_start", "submission__team__learning_network_id"))
    pooled = _pooled(measure, rows)
    ids = sorted(k for k in pooled if k is not None)
    chosen = {s.learning_network_id: s for s in NetworkChartSettings.objects.filter(
        measure=measure, learning_network_id__in=ids)}
    for i in ids:
        pooled[i].settings = pool_settings(chosen.get(i))
        pooled[i].phases = _membership_phases(pooled[i], "teams")
    return [ChartSummary(scope=Scope.NETWORK, measure=measure, learning_network_id=i, **f)
            for i, f in zip(ids, summarise_series(measure, [pooled[i] for i in ids]),
                            strict=True)]


def _network_event_rows(measure: Measure, network_ids: set[int] | None
                        ) -> list[ChartSummary]:
    teams = Team.objects.filter(team_measures__measure=measure, team_measures__active=True)
    if network_ids is not None:
        teams = teams.filter(learning_network_id__in=network_ids)
    by_network: dict[int, list[int]] = defaultdict(list)
    for team_id, network_id in teams.values_list("pk", "learning_network_id"):
        by_network[network_id].append(team_id)
    chosen = {s.learning_network_id: s for s in NetworkChartSettings.objects.filter(
        measure=measure, learning_network_id__in=list(by_network))}
    ids = sorted(by_network)
    series = [Series(pooled_events(measure, by_network[i]), settings=pool_settings(
        chosen.get(i))) for i in ids]
    kept = [(i, s) for i, s in zip(ids, series, strict=True) if s.obs]
    return [ChartSummary(scope=Scope.NETWORK, measure=measure, learning_network_id=i, **f)
            for (i, _), f in zip(kept, summarise_series(measure, [s for _, s in kept]),
                                 strict=True)]


def national_teams(measure: Measure) -> list[int]:
    """A jurisdiction reporting the measure in several teams counts once: the team with
    the most shown values (the first in team order on a tie)."""
    teams = list(Team.objects.filter(team_measures__measure=measure,
                                     team_measures__active=True)
                 .values_list("pk", "jurisdiction_id"))
    counts = dict(_shown(measure).filter(submission__team_id__in=[t for t, _ in teams])
                  .values_list("submission__team_id").annotate(n=Count("pk"))
                  .values_list("submission__team_id", "n").order_by())
    best: dict[int, int] = {}
    for team_id, jurisdiction_id in teams:
        current = best.get(jurisdiction_id)
        if current is None or counts.get(team_id, 0) > counts.get(current, 0):
            best[jurisdiction_id] = team_id
    return list(best.values())


def _national_rows(measure: Measure) -> list[ChartSummary]:
    """All jurisdictions pooled, one team each (rate and proportion measures)."""
    if measure.type != Measure.Type.RATIO:
        return []
    rows = (_pool_values(measure).filter(submission__team_id__in=national_teams(measure))
            .values_list("submission__period_start")
            .annotate(num=Sum("numerator"), den=Sum("denominator"), teams=Count("pk"))
            .values_list("submission__period_start", "num", "den", "teams")
            .order_by("submission__period_start"))
    pooled = _pooled(measure, ((None, *r) for r in rows))
    if None not in pooled:
        return []
    series = pooled[None]
    series.phases = _membership_phases(series, "jurisdictions")
    (f,) = summarise_series(measure, [series])
    return [ChartSummary(scope=Scope.NATIONAL, measure=measure, **f)]
