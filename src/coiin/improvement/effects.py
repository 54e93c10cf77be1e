"""The network's estimate of each change idea's effect: read from the database, estimated
by ``coiin.stats.whatworks`` (adopting teams against teams of the same network that had
not, or not yet, adopted it), stored, and corrected for the many ideas shown at once.

For each change idea and each measure it should move (its primary measure and the other
measures up its network driver diagram; see ``evidence``), the panel is every team of
the idea's network with a chart of the measure (the values its chart summary holds,
numerators and denominators for a ratio), and each team's first period of adoption is
the period of ``Adoption.counts_from`` (dates as recorded; see ``evidence``).

Estimates are stored in ``IdeaEffect`` under a fingerprint of what they were computed
from (the teams' chart summaries of that measure, the network's adoption records); a
reader recomputes only those whose fingerprint changed, so pages read a fixed number of
queries when nothing changed. The Benjamini–Hochberg correction runs over every idea ×
measure estimated in the CoIIN, the largest family any page shows, so an idea's verdict
is the same on every page and report.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from coiin.charts.models import ChartSummary
from coiin.measures.models import Measure
from coiin.measures.periods import Frequency
from coiin.stats import whatworks as ww

from . import effect_words, evidence
from .effect_words import CO_ADOPTION_PERIODS
from .models import Adoption, AdoptionStatus, ChangeIdea, IdeaEffect

if TYPE_CHECKING:
    from coiin.network.models import LearningNetwork

METHOD = "cs2021-v1"  # part of every fingerprint: a new method recomputes everything
ORDER = [ww.Verdict.IMPROVEMENT, ww.Verdict.NO_EVIDENCE, ww.Verdict.WORSENING,
         ww.Verdict.PRETREND, ww.Verdict.NOT_ENOUGH_DATA]
# In English; ``Effect.label`` gives the reader's language.
LABELS = {
    ww.Verdict.IMPROVEMENT: gettext_noop("Improvement"),
    ww.Verdict.WORSENING: gettext_noop("Worsening"),
    ww.Verdict.NO_EVIDENCE: gettext_noop("No evidence of an effect"),
    ww.Verdict.PRETREND: gettext_noop("Cannot attribute: trends differed before adoption"),
    ww.Verdict.NOT_ENOUGH_DATA: gettext_noop("Not enough data"),
}


def period_index(day: dt.date, frequency: Frequency) -> int:
    """Consecutive integers for consecutive months (or quarters, or years)."""
    return (day.year * 12 + day.month - 1) // frequency.months


@dataclass
class Effect:
    """One idea's estimated effect on one measure, with what a reader must know."""

    idea: ChangeIdea
    measure: Measure
    primary: bool
    estimate: ww.Estimate
    co_adopted: list[tuple[str, int]] = field(default_factory=list)  # (idea title, teams)
    awaiting: int = 0  # back-dated adoptions waiting for faculty's confirmation

    @property
    def verdict(self) -> ww.Verdict:
        return self.estimate.verdict

    @property
    def label(self) -> str:
        return gettext(LABELS[self.estimate.verdict])

    @property
    def scale(self) -> float:
        return float(self.measure.multiplier) if self.measure.is_ratio else 1.0

    def shown(self, v: float | None, signed: bool = False) -> str:
        if v is None:
            return "–"
        x = round(v * self.scale, 1) + 0.0  # no "−0.0"
        text = f"{x:+.1f}" if signed and x else f"{x:.1f}"
        return text.replace("-", "−")

    @property
    def shown_estimate(self) -> str:
        return self.shown(self.estimate.estimate, signed=True)

    @property
    def shown_ci(self) -> str:
        return effect_words.interval(self)

    @property
    def units(self) -> str:
        return effect_words.units(self)

    @property
    def sentence(self) -> str:
        return effect_words.sentence(self)

    @property
    def sentence_html(self) -> str:
        """The sentence with the idea's and measure's fallback texts marked (for pages)."""
        return effect_words.sentence_html(self)

    @property
    def cautions(self) -> list[str]:
        return effect_words.cautions(self)

    @property
    def sustained(self) -> bool | None:
        """Whether an improvement lasted; None when there is none to last, or too early."""
        if self.estimate.verdict != ww.Verdict.IMPROVEMENT:
            return None
        return self.estimate.sustained

    @property
    def sustained_words(self) -> str:
        return effect_words.sustained(self)


@dataclass
class IdeaEvidence:
    idea: ChangeIdea
    primary: Effect | None
    secondary: list[Effect]
    candidates: list[Measure]  # when faculty must choose the primary measure
    awaiting: list[AdoptionStatus]

    @property
    def needs_choice(self) -> bool:
        return self.primary is None and len(self.candidates) > 1

    @property
    def rank_key(self) -> tuple[int, float, str]:
        if self.primary is None:
            return (len(ORDER), 1.0, self.idea.title)
        p = self.primary.estimate
        q = getattr(p, "q_value", None)
        return (ORDER.index(p.verdict), 1.0 if q is None else q, self.idea.title)


# -- storage ---------------------------------------------------------------------------


def _dump(est: ww.Estimate) -> dict[str, Any]:
    """The estimate as facts: its reasons as codes with their values, worded when read."""
    out = dataclasses.asdict(est)
    out["verdict"] = str(est.verdict)
    del out["reason"]
    return out


def _load(data: dict[str, Any]) -> ww.Estimate:
    names = {f.name for f in dataclasses.fields(ww.Estimate)}
    kw = {k: v for k, v in data.items() if k in names}
    kw["verdict"] = ww.Verdict(kw["verdict"])
    kw["event_study"] = tuple(ww.EventPoint(**p) for p in kw.get("event_study", ()))
    kw["reasons"] = tuple(ww.Reason(r["code"], r["values"]) for r in kw.get("reasons", ()))
    # Stored before the reasons had codes: the English words they were stored with.
    kw["reason"] = ww.english(kw["reasons"]) if kw["reasons"] else kw.get("reason", "")
    return ww.Estimate(**kw)


def _current(row: IdeaEffect, key: str) -> bool:
    """Whether a stored estimate still holds: the same inputs, and its reasons stored as
    codes (a row stored with English words only is estimated again, to be worded in the
    reader's language)."""
    return row.inputs == key and "reasons" in row.result


def _fingerprints(networks: Sequence[LearningNetwork]) -> tuple[dict[tuple[int, int], str],
                                                                 dict[int, str]]:
    """(network, measure) → the teams' summaries' state; network → its adoptions' state."""
    data = {(n, m): f"{c}:{t.timestamp() if t else 0}" for n, m, c, t in
            ChartSummary.objects.filter(scope=ChartSummary.Scope.TEAM,
                                        team__learning_network__in=networks)
            .values_list("team__learning_network_id", "measure_id")
            .annotate(Count("pk"), Max("computed_at")).order_by()}
    adopted = {n: f"{c}:{r.timestamp() if r else 0}:{k.timestamp() if k else 0}"
               for n, c, r, k in AdoptionStatus.objects.filter(
                   adoption__team__learning_network__in=networks)
               .values_list("adoption__team__learning_network_id")
               .annotate(Count("pk"), Max("recorded_at"), Max("confirmed_at")).order_by()}
    return data, adopted


def _key(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, (METHOD, *parts))).encode()).hexdigest()


def _panels(network_ids: set[int], measures: dict[int, Measure]
            ) -> dict[tuple[int, int], list[ww.Observation]]:
    """(network, measure) → every team's observations, from the chart summaries."""
    out: dict[tuple[int, int], list[ww.Observation]] = defaultdict(list)
    rows = ChartSummary.objects.filter(
        scope=ChartSummary.Scope.TEAM, team__learning_network_id__in=network_ids,
        measure_id__in=measures).values_list("team__learning_network_id", "measure_id",
                                             "team_id", "points")
    for network_id, measure_id, team_id, points in rows.iterator():
        m = measures[measure_id]
        for p in points:
            t = period_index(dt.date.fromisoformat(p[0]), m.freq)
            if m.is_ratio:
                if p[7] is None or not p[8]:
                    continue
                obs = ww.Observation(team_id, t, numerator=float(p[7]),
                                     denominator=float(p[8]))
            else:
                if p[1] is None:
                    continue
                obs = ww.Observation(team_id, t, value=float(p[1]))
            out[(network_id, measure_id)].append(obs)
    return out


def _estimate(m: Measure, panel: list[ww.Observation], adopted: dict[int, dt.date]
              ) -> ww.Estimate:
    if m.direction not in ("up", "down"):
        why = ww.Reason("no_direction")
        return ww.Estimate(None, None, None, None, None, 0, 0, None,
                           ww.Verdict.NOT_ENOUGH_DATA, ww.english([why]), None, (),
                           reasons=(why,))
    adoption = {team: period_index(day, m.freq) for team, day in adopted.items()}
    return ww.estimate_effect(panel, adoption, direction=m.direction)  # type: ignore[arg-type]


@dataclass
class _Plan:
    """Every idea of the CoIIN, the measures each is estimated on, and those measures."""

    ideas: list[ChangeIdea]
    candidates: dict[int, list[int]]
    primary: dict[int, int | None]
    wanted: dict[int, list[int]]  # the primary first, then the rest up the diagram
    measures: dict[int, Measure]

    @classmethod
    def load(cls) -> _Plan:
        ideas = list(ChangeIdea.objects.select_related(
            "learning_network", "primary_measure", "primary_chosen_by"))
        candidates, paths = evidence.driver_measures(ideas)
        primary = evidence.primary_measures(ideas, candidates)
        wanted: dict[int, list[int]] = {}
        for i in ideas:
            first = [primary[i.pk]] if primary[i.pk] else []
            wanted[i.pk] = first + [m for m in paths.get(i.pk, []) if m not in first]
        ids = {m for ms in [*wanted.values(), *candidates.values()] for m in ms}
        return cls(ideas, candidates, primary, wanted,
                   {m.pk: m for m in Measure.objects.filter(pk__in=ids)})


def refresh(plan: _Plan) -> dict[tuple[int, int], ww.Estimate]:
    """Every (idea, measure) estimate, recomputing those whose inputs changed."""
    from coiin.network.models import LearningNetwork

    data, adopted_state = _fingerprints(list(LearningNetwork.objects.all()))
    stored = {(e.change_idea_id, e.measure_id): e for e in IdeaEffect.objects.all()}
    keys = {(i.pk, m): _key(data.get((i.learning_network_id, m)),
                            adopted_state.get(i.learning_network_id))
            for i in plan.ideas for m in plan.wanted[i.pk] if m in plan.measures}
    stale = [k for k, key in keys.items() if k not in stored or not _current(stored[k], key)]
    out = {k: _load(stored[k].result) for k in keys if k not in stale}
    if stale:
        by_pk = {i.pk: i for i in plan.ideas}
        panels = _panels({by_pk[i].learning_network_id for i, _ in stale},
                         {m: plan.measures[m] for _, m in stale})
        adopted = _adopted({i for i, _ in stale})
        now = timezone.now()
        for idea_id, measure_id in stale:
            idea = by_pk[idea_id]
            est = _estimate(plan.measures[measure_id],
                            panels.get((idea.learning_network_id, measure_id), []),
                            adopted.get(idea_id, {}))
            out[(idea_id, measure_id)] = est
            IdeaEffect.objects.update_or_create(
                change_idea_id=idea_id, measure_id=measure_id,
                defaults={"inputs": keys[(idea_id, measure_id)], "computed_at": now,
                          "result": _dump(est)})
    return out


def _adopted(idea_ids: set[int]) -> dict[int, dict[int, dt.date]]:
    out: dict[int, dict[int, dt.date]] = defaultdict(dict)
    for idea_id, team_id, day in Adoption.objects.filter(
            change_idea_id__in=idea_ids, counts_from__isnull=False).values_list(
            "change_idea_id", "team_id", "counts_from"):
        out[idea_id][team_id] = day
    return out


# -- for pages and reports -------------------------------------------------------------


def evidence_for(networks: Sequence[LearningNetwork]) -> list[IdeaEvidence]:
    """Every change idea of these networks with its estimates, best evidence first.

    The correction for many comparisons runs over every network's estimates. A fixed
    number of queries when no estimate is stale."""
    plan = _Plan.load()
    estimates = refresh(plan)
    corrected = dict(zip(estimates, ww.adjust_for_many(list(estimates.values())),
                         strict=True))
    wanted_networks = {n.pk for n in networks}
    ideas = [i for i in plan.ideas if i.learning_network_id in wanted_networks]
    awaiting = evidence.awaiting_confirmation(ideas)
    co = _co_adoptions(ideas, plan)
    out = []
    for idea in ideas:
        effects = [Effect(idea, plan.measures[m], m == plan.primary[idea.pk],
                          corrected[(idea.pk, m)], co.get((idea.pk, m), []),
                          len(awaiting.get(idea.pk, [])))
                   for m in plan.wanted[idea.pk] if (idea.pk, m) in corrected]
        first = next((e for e in effects if e.primary), None)
        # Until faculty choose among several candidates, no result is shown: the primary
        # measure is set before results are read.
        choosing = first is None and len(plan.candidates.get(idea.pk, [])) > 1
        out.append(IdeaEvidence(idea, first, [] if choosing else
                                [e for e in effects if not e.primary],
                                [plan.measures[m] for m in plan.candidates.get(idea.pk, [])],
                                awaiting.get(idea.pk, [])))
    return sorted(out, key=lambda r: r.rank_key)


def _co_adoptions(ideas: Sequence[ChangeIdea], plan: _Plan
                  ) -> dict[tuple[int, int], list[tuple[str, int]]]:
    """(idea, measure) → other ideas on the same measure that the same teams adopted
    within ``CO_ADOPTION_PERIODS`` periods, with how many teams did."""
    wanted, measures = plan.wanted, plan.measures
    adopted = _adopted({i.pk for i in ideas})
    by_pk = {i.pk: i for i in ideas}
    out: dict[tuple[int, int], list[tuple[str, int]]] = {}
    for i in ideas:
        for m in wanted[i.pk]:
            freq = measures[m].freq
            found: dict[int, int] = defaultdict(int)
            for j in ideas:
                if j.pk == i.pk or j.learning_network_id != i.learning_network_id \
                        or m not in wanted[j.pk]:
                    continue
                for team, day in adopted.get(i.pk, {}).items():
                    other = adopted.get(j.pk, {}).get(team)
                    if other and abs(period_index(other, freq) - period_index(day, freq)) \
                            <= CO_ADOPTION_PERIODS:
                        found[j.pk] += 1
            if found:
                out[(i.pk, m)] = [(by_pk[j].title, n) for j, n in sorted(found.items())]
    return out
