"""The rules of the improvement work: cycles, ramps, status history, scores, aims."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from coiin.improvement import services
from coiin.improvement.models import (
    Adoption,
    Driver,
    PDSACycle,
    ProgressScore,
)

from .conftest import PLAN


def test_cycles_are_numbered_per_team(team, idea, lead, cycle):
    second = services.plan_cycle(team=team, change_idea=idea, user=lead,
                                 **PLAN | {"title": "Audit on two units"})
    assert (cycle.number, second.number) == (1, 2)
    assert str(second) == "PDSA 2: Audit on two units"


def test_a_cycle_cannot_close_without_a_decision(cycle):
    with pytest.raises(ValidationError) as exc:
        services.close_cycle(cycle=cycle, decision="", learned="Took 40 minutes.")
    assert "adopt, adapt or abandon" in str(exc.value)
    cycle.refresh_from_db()
    assert cycle.closed_on is None


def test_the_database_refuses_a_closed_cycle_without_a_decision(cycle):
    with pytest.raises(IntegrityError), transaction.atomic():
        PDSACycle.objects.filter(pk=cycle.pk).update(closed_on=dt.date(2015, 7, 1))


def test_closing_needs_what_was_learned_then_records_the_decision(cycle):
    with pytest.raises(ValidationError, match="what was learned"):
        services.close_cycle(cycle=cycle, decision="adopt")
    services.close_cycle(cycle=cycle, decision="adapt", what_happened="Audited 18 cribs.",
                         learned="Faster than predicted; 55 % safe, close to the prediction.",
                         on=dt.date(2015, 7, 2))
    cycle.refresh_from_db()
    assert (cycle.decision, cycle.closed_on, cycle.stage) == ("adapt", dt.date(2015, 7, 2),
                                                              "closed")
    with pytest.raises(ValidationError, match="already closed"):
        services.close_cycle(cycle=cycle, decision="adopt", learned="again")


def test_a_closed_cycle_plan_cannot_change(cycle):
    services.close_cycle(cycle=cycle, decision="adopt", learned="It works.",
                         on=dt.date(2015, 7, 1))
    with pytest.raises(ValidationError, match="closed"):
        services.change_plan(cycle=cycle, title="Another")


def test_a_ramp_holds_cycles_of_one_change_idea_and_one_team(team, other_team, idea, lead,
                                                             networks):
    ramp = services.start_ramp(team=team, change_idea=idea, title="Crib audits everywhere")
    first = services.plan_cycle(team=team, change_idea=idea, ramp=ramp, user=lead, **PLAN)
    second = services.plan_cycle(team=team, change_idea=idea, ramp=ramp, user=lead,
                                 **PLAN | {"starts": dt.date(2015, 7, 1), "ends": None,
                                           "title": "All night shifts"})
    assert services.ramp_cycles(ramp) == [first, second]
    education = services.save_change_idea(network=networks["safe-sleep"],
                                          title="Discharge education", description="d",
                                          evidence="e")
    with pytest.raises(ValidationError, match="one change idea in one team"):
        services.plan_cycle(team=team, change_idea=education, ramp=ramp, user=lead, **PLAN)
    ohio_idea = services.save_change_idea(network=other_team.learning_network,
                                          title="5 A's screening", description="d",
                                          evidence="e")
    with pytest.raises(ValidationError):
        services.plan_cycle(team=other_team, change_idea=ohio_idea, ramp=ramp, user=lead,
                            **PLAN)
    assert PDSACycle.objects.count() == 2


def test_a_team_tests_only_its_own_networks_ideas(team, other_idea, lead):
    with pytest.raises(ValidationError, match="another learning network"):
        services.plan_cycle(team=team, change_idea=other_idea, user=lead, **PLAN)
    with pytest.raises(ValidationError):
        services.set_status(team=team, change_idea=other_idea, status="testing",
                            on=dt.date(2015, 1, 1))


def test_a_cycle_ends_after_it_starts(team, idea, lead):
    with pytest.raises(ValidationError, match="end comes before the start"):
        services.plan_cycle(team=team, change_idea=idea, user=lead,
                            **PLAN | {"ends": dt.date(2015, 5, 1)})


def test_status_history_is_kept_and_adoption_is_the_first_move_to_testing(team, idea, lead):
    services.set_status(team=team, change_idea=idea, status="considering",
                        on=dt.date(2015, 1, 10), user=lead, note="Discussed at LS2")
    adoption = services.set_status(team=team, change_idea=idea, status="testing",
                                   on=dt.date(2015, 3, 1), user=lead)
    assert adoption.adopted_on == dt.date(2015, 3, 1)
    services.set_status(team=team, change_idea=idea, status="implementing",
                        on=dt.date(2015, 9, 1), user=lead)
    adoption = services.set_status(team=team, change_idea=idea, status="abandoned",
                                   on=dt.date(2016, 2, 1), user=lead, note="No champion")
    assert adoption.status == Adoption.Status.ABANDONED
    assert adoption.adopted_on == dt.date(2015, 3, 1)
    assert [(e.on, e.status, e.by) for e in adoption.events.all()] == [
        (dt.date(2015, 1, 10), "considering", lead), (dt.date(2015, 3, 1), "testing", lead),
        (dt.date(2015, 9, 1), "implementing", lead), (dt.date(2016, 2, 1), "abandoned", lead)]
    assert adoption.events.first().note == "Discussed at LS2"


def test_adoption_is_the_move_to_implementing_when_testing_was_skipped(team, idea):
    services.set_status(team=team, change_idea=idea, status="considering",
                        on=dt.date(2015, 1, 1))
    adoption = services.set_status(team=team, change_idea=idea, status="implementing",
                                   on=dt.date(2015, 4, 1))
    assert adoption.adopted_on == dt.date(2015, 4, 1)
    # A testing date recorded later but dated earlier moves the adoption back.
    adoption = services.set_status(team=team, change_idea=idea, status="testing",
                                   on=dt.date(2015, 2, 1))
    assert adoption.adopted_on == dt.date(2015, 2, 1)
    assert adoption.status == "implementing"  # the latest by date is still current


def test_a_first_pdsa_cycle_records_that_the_team_is_testing_the_idea(team, idea, cycle):
    adoption = Adoption.objects.get(team=team, change_idea=idea)
    assert (adoption.status, adoption.adopted_on) == ("testing", PLAN["starts"])
    assert "PDSA 1" in adoption.events.get().note


@pytest.mark.parametrize("score", ["0.5", "1", "2.5", "5.0"])
def test_scores_on_the_ihi_scale_are_kept(team, lead, score):
    row = services.record_score(team=team, month=dt.date(2016, 3, 17), score=score,
                                note="Tested changes", user=lead)
    assert row.score == Decimal(score)
    assert row.month == dt.date(2016, 3, 1)


@pytest.mark.parametrize("score", ["0", "0.7", "5.5", "three", "-1"])
def test_scores_off_the_scale_are_refused(team, lead, score):
    with pytest.raises(ValidationError):
        services.record_score(team=team, month=dt.date(2016, 3, 1), score=score, user=lead)
    assert not ProgressScore.objects.exists()


def test_the_database_refuses_scores_off_the_scale(team):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressScore.objects.create(team=team, month=dt.date(2016, 3, 1),
                                     score=Decimal("2.3"))


def test_one_score_per_team_month_and_rater(team, lead, faculty):
    services.record_score(team=team, month=dt.date(2016, 3, 1), score="2", user=lead)
    services.record_score(team=team, month=dt.date(2016, 3, 9), score="2.5", user=lead)
    services.record_score(team=team, month=dt.date(2016, 3, 1), score="3", rater="coach",
                          user=faculty)
    scores = {(s.rater, s.score) for s in ProgressScore.objects.filter(team=team)}
    assert scores == {("team", Decimal("2.5")), ("coach", Decimal("3.0"))}
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressScore.objects.create(team=team, month=dt.date(2016, 3, 1), score=1)


def test_an_aim_says_what_how_much_by_when_and_links_measures(team, catalog, lead):
    aim = services.save_aim(owner=team, what="Increase safe infant sleep in our hospitals",
                            how_much="from 60 % to 85 %", by_when=dt.date(2017, 9, 30),
                            measures=[catalog["SS-CRIB"]], user=lead)
    assert aim.statement == ("Increase safe infant sleep in our hospitals from 60 % to 85 % "
                             "by September 30, 2017.")
    assert list(aim.measures.all()) == [catalog["SS-CRIB"]]
    with pytest.raises(ValidationError, match="another learning network"):
        services.save_aim(owner=team, what="x", how_much="y", by_when=dt.date(2017, 1, 1),
                          measures=[catalog["SC-SCREEN"]])


def test_driver_boxes_hang_in_order_aim_primary_secondary_change(team, idea, catalog):
    diagram = services.diagram_for(team)
    assert services.diagram_for(team) == diagram  # one per team
    primary = services.add_node(diagram=diagram, kind="primary", text="Safe hospital practice",
                                measure=catalog["SS-CRIB"])
    secondary = services.add_node(diagram=diagram, kind="secondary", text="Staff know AAP "
                                  "guidance", parent=primary)
    change = services.add_node(diagram=diagram, kind="change", text="", parent=secondary,
                               change_idea=idea)
    assert change.text == idea.title
    with pytest.raises(ValidationError, match="belongs under a primary driver"):
        services.add_node(diagram=diagram, kind="secondary", text="x", parent=secondary)
    with pytest.raises(ValidationError):
        services.add_node(diagram=diagram, kind="change", text="x", parent=primary)
    with pytest.raises(ValidationError, match="another learning network"):
        services.add_node(diagram=diagram, kind="primary", text="x",
                          measure=catalog["SC-SCREEN"])
    services.remove_node(node=primary)
    assert not Driver.objects.filter(diagram=diagram).exists()  # its branch went with it


def test_boxes_reorder_among_their_siblings(team):
    diagram = services.diagram_for(team)
    a, b, c = (services.add_node(diagram=diagram, kind="primary", text=t) for t in "abc")
    services.move_node(node=c, step=-1)
    services.move_node(node=a, step=-1)  # already first: nothing happens
    assert [n.text for n in Driver.objects.filter(diagram=diagram)] == ["a", "c", "b"]


def test_faculty_comment_on_a_cycle(cycle, faculty):
    note = services.comment(cycle=cycle, author=faculty, text="Try it on weekends too.")
    assert list(cycle.comments.all()) == [note]
    with pytest.raises(ValidationError):
        services.comment(cycle=cycle, author=faculty, text="  ")


def test_attendance_only_for_teams_of_the_events_network(networks, team, other_team, backbone):
    event = services.save_event(network=networks["safe-sleep"], kind="learning_session",
                                title="Learning session 1", starts=dt.date(2015, 3, 3),
                                ends=dt.date(2015, 3, 4))
    row = services.record_attendance(event=event, team=team, attended=True,
                                     who="Lead and data lead", user=backbone)
    assert row.attended
    services.record_attendance(event=event, team=team, attended=False, user=backbone)
    assert event.attendance.get().attended is False
    with pytest.raises(ValidationError):
        services.record_attendance(event=event, team=other_team, attended=True)
