"""What works: did a sustained improvement follow a team's adoption of a change idea?

Computed from the reported data, never typed in. For each adoption (a team and a change
idea, with the date the team began testing it) and each measure the idea should move
(the measures of the drivers it hangs from in the network's or the team's driver
diagram, and the measures the team's PDSA cycles on the idea named):

1. The team's chart of the measure (its shown data only; saved baselines, phases and
   exclusions are ignored) is split at the adoption: the baseline is every point whose
   period ended before the adoption date, the rest come after. Fewer than
   ``MIN_BASELINE`` baseline points: "not enough data".
2. The centre line and 3-sigma limits are frozen on the baseline (``qic`` with
   ``freeze``), so the points after adoption are judged against what came before.
3. An improvement signal is the first point after adoption that completes a run on the
   good side of the baseline centre line longer than the Anhøj limit for the number of
   useful points after adoption (``longest_run_max``; points on the line are skipped),
   or lies beyond the baseline 3-sigma limit in the good direction — whichever is first.
   None: "no improvement signal".
4. It held if each of the ``HOLD_POINTS`` points after that signal sits on the good side
   of the baseline centre line: "sustained improvement". One that does not (on the line
   counts as not held): "improvement that faded". All so far on the good side but fewer
   than ``HOLD_POINTS`` of them: "improvement, too early to tell".

An adoption's verdict is its best verdict over its measures (in the order of
``Verdict``). ``assess`` is pure (no Django); ``what_works`` reads the database.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language, gettext, gettext_noop, ngettext

from coiin.measures.periods import Period
from coiin.spc import SPCInputError, longest_run_max, qic

from . import hooks
from .hooks import Lesson

if TYPE_CHECKING:
    from coiin.measures.models import Measure
    from coiin.network.models import LearningNetwork, Team

    from .models import Adoption, ChangeIdea

MIN_BASELINE = 6
HOLD_POINTS = 6


class Verdict(StrEnum):
    SUSTAINED = "sustained"
    TOO_EARLY = "too_early"
    FADED = "faded"
    NO_SIGNAL = "no_signal"
    NOT_ENOUGH = "not_enough"

    @property
    def label(self) -> str:
        """The verdict in the reader's language (``LABELS`` keeps the English)."""
        return gettext(LABELS[self])


LABELS = {
    Verdict.SUSTAINED: gettext_noop("Sustained improvement"),
    Verdict.TOO_EARLY: gettext_noop("Improvement, too early to tell if it held"),
    Verdict.FADED: gettext_noop("Improvement that faded"),
    Verdict.NO_SIGNAL: gettext_noop("No improvement signal"),
    Verdict.NOT_ENOUGH: gettext_noop("Not enough data"),
}
ORDER = list(Verdict)  # best first


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    reason: str
    baseline_points: int = 0
    after_points: int = 0
    baseline_cl: float | None = None
    signal_at: dt.date | None = None  # first day of the period of the first signal
    signal_kind: str = ""  # "run" or "sigma"
    run_limit: int | None = None


def assess(periods: Sequence[Period], y: Sequence[float], n: Sequence[float] | None, *,
           adopted_on: dt.date, direction: str, chart: str, multiply: float = 1
           ) -> Outcome:
    """The verdict for one series (oldest first) split at ``adopted_on``.

    ``y`` are values (or numerators, with denominators ``n``) as ``qic`` takes them;
    ``direction`` is "up" or "down" (anything else cannot be judged); ``chart`` is the
    chart type the series gets on the team's chart page ("run", "p", "u", "i" …).
    """
    if direction not in ("up", "down"):
        return Outcome(Verdict.NOT_ENOUGH, gettext("The measure has no preferred direction."))
    baseline = sum(1 for p in periods if p.end < adopted_on)
    after = len(periods) - baseline
    if baseline < MIN_BASELINE:
        return Outcome(Verdict.NOT_ENOUGH, gettext(
            "%(points)s before adoption; %(needed)s are needed for a baseline.") % {
            "points": _points(baseline), "needed": MIN_BASELINE}, baseline, after)
    if after == 0:
        return Outcome(Verdict.NOT_ENOUGH, gettext("No data reported since adoption."),
                       baseline, 0)
    try:
        result = qic(list(y), None if n is None else list(n), [p.start for p in periods],
                     chart=chart, freeze=baseline, multiply=multiply)
    except SPCInputError as exc:
        return Outcome(Verdict.NOT_ENOUGH, gettext("The chart cannot be drawn: %(error)s")
                       % {"error": exc}, baseline, after)
    points = result.points
    cl = points[0].cl
    if cl is None:
        return Outcome(Verdict.NOT_ENOUGH, gettext("The baseline has no centre line."),
                       baseline, after)
    good = 1 if direction == "up" else -1
    later = points[baseline:]
    sides = [0 if p.y is None or p.y == cl else (1 if p.y > cl else -1) for p in later]
    limit = longest_run_max(max(sum(1 for s in sides if s), 1))
    signal, kind = _first_signal(later, sides, good, limit)
    common = {"baseline_points": baseline, "after_points": after, "baseline_cl": cl,
              "run_limit": limit}
    if signal is None:
        return Outcome(Verdict.NO_SIGNAL, gettext(
            "In the %(points)s since adoption, no run of more than %(limit)s on the good side "
            "of the baseline centre line and no point beyond its 3-sigma limit in the good "
            "direction.") % {"points": _points(after), "limit": limit}, **common)
    at = periods[baseline + signal].start
    how = (gettext("a run of more than %(limit)s points on the good side") % {"limit": limit}
           if kind == "run" else gettext("a point beyond the baseline 3-sigma limit"))
    following = sides[signal + 1: signal + 1 + HOLD_POINTS]
    slipped = sum(1 for s in following if s != good)
    where = f"{how} ({Period(at, periods[0].frequency).display})"
    if slipped:
        return Outcome(Verdict.FADED, gettext(
            "Signal: %(where)s; then %(slipped)s of the next %(points)s fell back to (or "
            "across) the baseline centre line.") % {
            "where": where, "slipped": slipped, "points": _points(len(following))},
            signal_at=at, signal_kind=kind, **common)
    if len(following) < HOLD_POINTS:
        return Outcome(Verdict.TOO_EARLY, gettext(
            "Signal: %(where)s; %(points)s since, all on the good side (%(needed)s are needed "
            "to call it sustained).") % {
            "where": where, "points": _points(len(following)), "needed": HOLD_POINTS},
            signal_at=at, signal_kind=kind, **common)
    return Outcome(Verdict.SUSTAINED, gettext(
        "Signal: %(where)s; all %(hold)s points after it stayed on the good side of the "
        "baseline centre line.") % {"where": where, "hold": HOLD_POINTS}, signal_at=at,
        signal_kind=kind, **common)


def _first_signal(points: Sequence[Any], sides: list[int], good: int, limit: int
                  ) -> tuple[int | None, str]:
    run_side, run_length = 0, 0
    for i, (p, side) in enumerate(zip(points, sides, strict=True)):
        if p.sigma_signal and side == good:
            return i, "sigma"
        if side == 0:
            continue  # on the centre line: neither breaks nor extends a run
        if side == run_side:
            run_length += 1
        else:
            run_side, run_length = side, 1
        if run_side == good and run_length > limit:
            return i, "run"
    return None, ""


def _points(k: int) -> str:
    return ngettext("%(k)s point", "%(k)s points", k) % {"k": k}


def best(verdicts: Sequence[Verdict]) -> Verdict:
    return min(verdicts, key=ORDER.index) if verdicts else Verdict.NOT_ENOUGH


# -- from the database -----------------------------------------------------------------


@dataclass
class MeasureResult:
    measure: Measure
    outcome: Outcome


@dataclass
class AdoptionResult:
    adoption: Adoption
    results: list[MeasureResult]

    @property
    def team(self) -> Team:
        return self.adoption.team

    @property
    def verdict(self) -> Verdict:
        return best([r.outcome.verdict for r in self.results])


@dataclass
class IdeaResult:
    idea: ChangeIdea
    adoptions: list[AdoptionResult] = field(default_factory=list)
    # What closed peer-mentoring pairings on this idea taught (registered in ``hooks``).
    lessons: list[Lesson] = field(default_factory=list)

    @property
    def counts(self) -> dict[Verdict, int]:
        out = dict.fromkeys(Verdict, 0)
        for a in self.adoptions:
            out[a.verdict] += 1
        return out

    @property
    def count_list(self) -> list[tuple[Verdict, int]]:
        counts = self.counts
        return [(v, counts[v]) for v in Verdict]

    @property
    def sustained(self) -> int:
        return self.counts[Verdict.SUSTAINED]

    @property
    def rank_key(self) -> tuple[int, int, int, str]:
        c = self.counts
        return (-c[Verdict.SUSTAINED], -c[Verdict.TOO_EARLY], -len(self.adoptions),
                self.idea.title)


def _idea_measures(ideas: list[ChangeIdea]) -> tuple[dict[int, set[int]],
                                                     dict[tuple[int, int], set[int]]]:
    """Measures each idea's drivers link to: network diagrams (for every team) and team
    diagrams (for that team). Walks up from each box that stands for an idea."""
    from django.db.models import Q

    from .models import Driver

    networks = {i.learning_network_id for i in ideas}
    rows = list(Driver.objects.filter(
        Q(diagram__learning_network_id__in=networks)
        | Q(diagram__team__learning_network_id__in=networks))
        .values_list("pk", "parent_id", "measure_id", "change_idea_id", "diagram__team_id"))
    parent = {pk: p for pk, p, _m, _c, _t in rows}
    measure = {pk: m for pk, _p, m, _c, _t in rows}
    shared: dict[int, set[int]] = defaultdict(set)
    own: dict[tuple[int, int], set[int]] = defaultdict(set)
    for pk, _p, _m, idea_id, team_id in rows:
        if idea_id is None:
            continue
        found = set()
        node: int | None = pk
        while node is not None:
            if measure.get(node):
                found.add(measure[node])
            node = parent.get(node)
        (own[(team_id, idea_id)] if team_id else shared[idea_id]).update(found)
    return shared, own


def what_works(networks: Sequence[LearningNetwork]) -> list[IdeaResult]:
    """Every change idea of these networks, with each adoption's verdict per measure.

    A fixed number of queries however many teams, ideas and measures.
    """
    from coiin.measures.models import Measure

    from .models import Adoption, ChangeIdea, PDSACycle

    ideas = list(ChangeIdea.objects.filter(learning_network__in=networks)
                 .select_related("learning_network"))
    adoptions = list(Adoption.objects.filter(change_idea__in=ideas, adopted_on__isnull=False)
                     .select_related("team__jurisdiction", "team__learning_network")
                     .order_by("team__jurisdiction__name"))
    shared, own = _idea_measures(ideas)
    named: dict[tuple[int, int], set[int]] = defaultdict(set)
    for team_id, idea_id, measure_id in PDSACycle.measures.through.objects.filter(
            pdsacycle__change_idea__in=ideas).values_list(
            "pdsacycle__team_id", "pdsacycle__change_idea_id", "measure_id"):
        named[(team_id, idea_id)].add(measure_id)
    wanted = {a.pk: shared[a.change_idea_id] | own[(a.team_id, a.change_idea_id)]
              | named[(a.team_id, a.change_idea_id)] for a in adoptions}
    measure_ids = set().union(*wanted.values()) if wanted else set()
    measures = {m.pk: m for m in Measure.objects.filter(pk__in=measure_ids)}
    outcomes = _outcomes({(a.team_id, measure_id, a.adopted_on) for a in adoptions
                          for measure_id in wanted[a.pk]}, measures)
    by_idea = {i.pk: IdeaResult(i) for i in ideas}
    for a in adoptions:
        results = [MeasureResult(measures[measure_id],
                                 outcomes[(a.team_id, measure_id, a.adopted_on)])
                   for measure_id in sorted(wanted[a.pk], key=lambda pk: measures[pk].code)]
        by_idea[a.change_idea_id].adoptions.append(AdoptionResult(a, results))
    for idea_id, lesson in hooks.lessons_by_idea(ideas):
        by_idea[idea_id].lessons.append(lesson)
    return [by_idea[i.pk] for i in ideas]


CACHE_SECONDS = 24 * 3600


def _outcomes(needed: set[tuple[int, int, dt.date]], measures: dict[int, Measure]
              ) -> dict[tuple[int, int, dt.date], Outcome]:
    """The outcome of each (team, measure, adoption date): from each series' stored chart
    summary (its charted points, oldest first), kept in the cache under the summary's
    identity and time, which change whenever its data or chart settings do. One query;
    the charts are assessed again only when their series changed."""
    from django.core.cache import cache

    from coiin.charts.building import Observation, choose_chart
    from coiin.charts.models import ChartSummary

    stored = {(t, m): (pk, at, points) for t, m, pk, at, points in ChartSummary.objects.filter(
        scope=ChartSummary.Scope.TEAM, team_id__in={t for t, _, _ in needed},
        measure_id__in=measures).values_list("team_id", "measure_id", "pk", "computed_at",
                                             "points")}
    # The reasons are worded in the reader's language: one cache entry per language.
    language = get_language()
    keys = {n: f"whatworks:2:{language}:{n[0]}:{n[1]}:{n[2].isoformat()}:"
               f"{stored[n[:2]][0]}:{stored[n[:2]][1].timestamp()}"
            for n in needed if n[:2] in stored}
    cached = cache.get_many(list(keys.values()))
    no_data = Outcome(Verdict.NOT_ENOUGH, gettext("No data reported on this measure."))
    out = {n: cached[keys[n]] if n in keys and keys[n] in cached else no_data for n in needed}
    missing = [n for n in keys if keys[n] not in cached]
    if missing:
        fresh = {}
        for n in missing:
            m = measures[n[1]]
            obs = [Observation(Period(dt.date.fromisoformat(p[0]), m.freq), p[7], p[8], p[1],
                               True) for p in stored[n[:2]][2]]
            out[n] = fresh[keys[n]] = _assess_observations(m, obs, n[2], choose_chart)
        cache.set_many(fresh, CACHE_SECONDS)
    return out


def _assess_observations(m: Measure, obs: list[Any], adopted_on: dt.date,
                         choose_chart: Any) -> Outcome:
    if not obs:
        return Outcome(Verdict.NOT_ENOUGH, "No data reported on this measure.")
    dens = [o.denominator for o in obs if o.denominator]
    chart = choose_chart(m, len(obs), sum(dens) / len(dens) if dens else None)
    if chart is None:
        return Outcome(Verdict.NOT_ENOUGH, "This measure has no chart.")
    if m.is_ratio:
        y, n, multiply = [o.numerator for o in obs], [o.denominator for o in obs], m.multiplier
    else:
        y, n, multiply = [o.value for o in obs], None, 1
    return assess([o.period for o in obs], y, n, adopted_on=adopted_on,
                  direction=m.direction, chart=chart, multiply=multiply)


def _f(v: Any) -> float | None:
    return None if v is None else float(v)


def ranked(results: list[IdeaResult]) -> list[IdeaResult]:
    """Change ideas with the most teams whose improvement followed and held first."""
    return sorted(results, key=lambda r: r.rank_key)
