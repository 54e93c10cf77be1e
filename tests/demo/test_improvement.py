"""The demo improvement work: every network has its aim, diagram and change package;
loading twice adds nothing; and the demo tells a true story: in each network one idea
works (the improving teams adopt it, each at a month of its own, and their data move from
then, on that idea's measures only), the other ideas adopted change nothing, and the
network's estimates find exactly that, where each team's own chart does not."""

from __future__ import annotations

import datetime as dt

import pytest

from coiin.charts.summaries import services as summaries
from coiin.demo.content import PACKAGES
from coiin.demo.improvement import CHOSEN, NOTE, load_improvement_demo
from coiin.demo.measures import active_measures, load_demo_data, team_periods, trajectories
from coiin.demo.network import DemoLoader, choose_networks, load_reference
from coiin.demo.series import NULLS, WORKS, Generator, TeamPlan, driver_codes, story
from coiin.improvement import effects, evidence
from coiin.improvement.models import (
    Adoption,
    AdoptionStatus,
    Aim,
    Attendance,
    ChangeIdea,
    Driver,
    DriverDiagram,
    Event,
    PDSACycle,
    ProgressScore,
)
from coiin.improvement.whatworks import Verdict, what_works
from coiin.measures.models import Measure
from coiin.network.models import LearningNetwork, Team, User
from coiin.stats.whatworks import Verdict as Evidence

from ..conftest import shared_rows

pytestmark = pytest.mark.xdist_group("demo-improvement")

SOME = ["GA", "MS", "VT", "OH", "CA", "NM", "WI", "TX", "LA", "MI", "NY", "AL"]


def quiet(_: str) -> None:
    pass


def _reference():
    loader = DemoLoader(quiet)
    jurisdictions, networks = load_reference()
    national = loader.national_organisations()
    loader.backbone_and_funder(national)
    loader.faculty(networks, national)
    return loader, jurisdictions, networks, national


def load_demo():
    """The demo network of SOME jurisdictions with its data and its improvement work."""
    loader, jurisdictions, networks, national = _reference()
    spread = choose_networks(sorted(jurisdictions))
    for code in SOME:
        loader.jurisdiction_teams(jurisdictions[code], [networks[s] for s in spread[code]])
    loader.demo_logins(jurisdictions, networks, national)
    load_demo_data(log=quiet)
    return load_improvement_demo(log=quiet)


# The tests only read the demo (what one writes is rolled back after it): it is loaded once.
_demo_rows, demo = shared_rows("demo", load_demo)


@pytest.fixture
def two_networks(db):
    """Every jurisdiction's Safe Sleep and Preterm Birth teams: enough teams to estimate."""
    loader, jurisdictions, networks, _national = _reference()
    spread = choose_networks(sorted(jurisdictions))
    for code, slugs in spread.items():
        chosen = [networks[s] for s in slugs if s in ("safe-sleep", "preterm-birth")]
        if chosen:
            loader.jurisdiction_teams(jurisdictions[code], chosen)
    load_demo_data(log=quiet)
    load_improvement_demo(log=quiet)
    summaries.rebuild()


def _teams() -> list[Team]:
    return list(Team.objects.select_related("jurisdiction", "learning_network").order_by(
        "jurisdiction__postal_code", "learning_network__position"))


def _key(idea: ChangeIdea) -> str:
    pkg = PACKAGES[idea.learning_network.slug]
    return next(i.key for i in pkg.ideas if i.title == idea.title)


def snapshot():
    return {model.__name__: sorted(model.objects.values_list(*fields)) for model, fields in [
        (ChangeIdea, ("pk", "title", "updated_at", "primary_measure_id")),
        (Aim, ("pk", "what", "updated_at")),
        (Driver, ("pk", "text", "position")), (Adoption, ("pk", "status", "adopted_on")),
        (AdoptionStatus, ("pk", "status", "on", "recorded_at")),
        (PDSACycle, ("pk", "team_id", "number")),
        (ProgressScore, ("pk", "score")), (Event, ("pk", "title")),
        (Attendance, ("pk", "attended")), (DriverDiagram, ("pk", "updated_at"))]}


def test_every_network_has_an_aim_a_diagram_and_a_change_package(demo):
    for network in LearningNetwork.objects.all():
        pkg = PACKAGES[network.slug]
        assert 5 <= network.change_ideas.count() == len(pkg.ideas) <= 8
        assert all(i.evidence for i in network.change_ideas.all())
        assert Aim.objects.filter(learning_network=network).exists()
        diagram = DriverDiagram.objects.get(learning_network=network)
        kinds = set(Driver.objects.filter(diagram=diagram).values_list("kind", flat=True))
        assert kinds == {"primary", "secondary", "change"}
        assert diagram.aim is not None
        assert Event.objects.filter(learning_network=network, kind="learning_session",
                                    starts__year=2016).count() == 2


def test_loading_twice_changes_nothing(demo):
    before = snapshot()
    assert load_improvement_demo(log=quiet) == {}
    assert snapshot() == before


def test_improving_teams_adopt_their_networks_working_idea_as_their_data_begin_to_move(demo):
    teams = _teams()
    paths = trajectories(teams)
    improving = [t for t in teams if paths[t.pk] == "improving"]
    months = set()
    for team in improving:
        first = team.adoptions.filter(status__in=Adoption.IN_USE).select_related(
            "change_idea__learning_network").order_by("adopted_on").first()
        assert first is not None and _key(first.change_idea) == WORKS[
            team.learning_network.slug]
        told = story(team.jurisdiction.postal_code, team.learning_network.slug, "improving")
        start = max(dt.date(2012, 1, 1), team.joined_on.replace(day=1))
        month = (first.adopted_on.year - start.year) * 12 + first.adopted_on.month \
            - start.month
        assert month == told.adopt_month
        months.add(month)
        assert team.pdsa_cycles.count() >= 2
        scores = list(team.progress_scores.filter(rater="team").order_by("month")
                      .values_list("score", flat=True))
        assert scores[-1] > scores[0]
    assert len(improving) >= 3 and len(months) >= 3  # staggered, not all in one month


def test_an_improving_teams_data_move_only_on_the_measures_of_the_idea_it_adopted(demo):
    teams = _teams()
    paths = trajectories(teams)
    measures = active_measures(teams)
    gen = Generator()
    checked = 0
    for team in (t for t in teams if paths[t.pk] == "improving"):
        plan = gen.plan(team, "improving")
        same = TeamPlan(plan.team, plan.state, "steady", plan.start)
        drivers = driver_codes(PACKAGES[team.learning_network.slug])
        for m in measures.get(team.pk, []):
            periods = team_periods(team, m.freq)
            moved = gen.series(plan, m, periods) != gen.series(same, m, periods)
            if m.code in drivers:
                assert moved == (m.code in plan.story.moves), (team, m.code)
                checked += 1
    assert checked >= 10


def test_other_teams_adopt_only_ideas_that_change_nothing(demo):
    paths = trajectories(_teams())
    adopted = Adoption.objects.exclude(counts_from=None).select_related(
        "team", "change_idea__learning_network")
    assert adopted.exists()
    for a in adopted:
        key, slug = _key(a.change_idea), a.change_idea.learning_network.slug
        if paths[a.team_id] != "improving":
            assert key in NULLS[slug]
        else:
            assert key == WORKS[slug] or key in NULLS[slug]


def test_faculty_chose_the_primary_measure_of_ideas_linked_to_several_but_one(demo):
    ideas = list(ChangeIdea.objects.select_related("learning_network", "primary_measure"))
    candidates, _paths = evidence.driver_measures(ideas)
    several = {_key(i): i for i in ideas if len(candidates[i.pk]) > 1}
    assert set(CHOSEN) < set(several)
    for key, idea in several.items():
        if key in CHOSEN:
            assert idea.primary_measure.code == CHOSEN[key]
            assert idea.primary_chosen_by is not None
        else:  # left for faculty to choose in the demo
            assert idea.primary_measure is None
    assert len(set(several) - set(CHOSEN)) == 1


def test_one_adoption_was_typed_months_late_and_awaits_faculty(demo):
    waiting = evidence.awaiting_confirmation(list(ChangeIdea.objects.all()))
    events = [e for rows in waiting.values() for e in rows]
    assert len(events) == 1
    adoption = events[0].adoption
    assert adoption.team.learning_network.slug == "safe-sleep"  # the demo faculty's network
    assert adoption.counts_from > adoption.adopted_on == events[0].on
    assert adoption.counts_from == events[0].recorded_at.date()


def test_synthetic_text_says_so(demo):
    assert all(NOTE in c.learned and NOTE in c.objective for c in PDSACycle.objects.all())
    assert all(NOTE in s.note for s in ProgressScore.objects.all())
    assert all(NOTE in e.description for e in Event.objects.all())


def test_the_estimates_find_the_ideas_that_work_where_own_charts_credit_others(two_networks):
    training = ChangeIdea.objects.get(title__startswith="Safe sleep training")
    faculty = User.objects.filter(faculty_roles__learning_network=training.learning_network
                                  ).first()
    evidence.set_primary_measure(idea=training, measure=Measure.objects.get(code="SS-EDU"),
                                 user=faculty)  # the choice the demo leaves to faculty
    rows = {(r.idea.learning_network.slug, _key(r.idea)): r
            for r in effects.evidence_for(list(LearningNetwork.objects.all()))}
    for slug in ("safe-sleep", "preterm-birth"):
        works = rows[(slug, WORKS[slug])].primary
        assert works is not None and works.verdict == Evidence.IMPROVEMENT, works.sentence
        for key in NULLS[slug]:
            null = rows[(slug, key)].primary
            assert null is not None, (slug, key)
            assert null.verdict == Evidence.NO_EVIDENCE, null.sentence
    # Each team's own chart after adoption credits some adopters of ideas that do nothing.
    old = {(r.idea.learning_network.slug, _key(r.idea)): r
           for r in what_works(list(LearningNetwork.objects.all()))}
    credited = [k for k in old if k[1] in NULLS[k[0]]
                and any(a.verdict == Verdict.SUSTAINED for a in old[k].adoptions)]
    assert credited
