"""The improvement pages: each persona sees what it may, with real content, in a bounded
number of queries; forms change things through the services."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from coiin.improvement import services
from coiin.improvement.models import Adoption, Attendance, ChangeIdea, CycleComment, PDSACycle
from coiin.network import services as network_services
from coiin.network.models import TeamMembership, User

from ..conftest import fixtures_from, georgia_safe_sleep, make_user, shared_rows
from .conftest import PLAN

T = "/networks/safe-sleep/ga/improvement/"
N = "/networks/safe-sleep/improvement/"


def make_work(team, catalog, idea, lead, faculty, networks):
    """Georgia's aim, diagram, adoption, cycle, score; the network's aim and calendar."""
    aim = services.save_aim(owner=team, what="Increase safe sleep in our birthing hospitals",
                            how_much="from 60 % to 85 %", by_when=dt.date(2017, 9, 30),
                            measures=[catalog["SS-CRIB"]], user=lead)
    diagram = services.diagram_for(team)
    services.set_diagram_aim(diagram=diagram, aim=aim)
    primary = services.add_node(diagram=diagram, kind="primary", text="Hospitals model safe "
                                "sleep", measure=catalog["SS-CRIB"])
    secondary = services.add_node(diagram=diagram, kind="secondary", text="Nurses audit cribs",
                                  parent=primary)
    services.add_node(diagram=diagram, kind="change", text="", parent=secondary,
                      change_idea=idea)
    services.record_score(team=team, month=dt.date(2015, 6, 1), score="2.5",
                          note="Tests under way", user=lead)
    services.record_score(team=team, month=dt.date(2015, 6, 1), score="3", rater="coach",
                          user=faculty)
    network = networks["safe-sleep"]
    services.save_aim(owner=network, what="Reduce sleep-related infant deaths",
                      how_much="by 10 %", by_when=dt.date(2017, 9, 30))
    services.save_event(network=network, kind="learning_session", title="Learning session 2",
                        starts=dt.date(2015, 4, 14), ends=dt.date(2015, 4, 15),
                        description="Teams share their first PDSA cycles.")
    return aim


def load_work() -> SimpleNamespace:
    """What the suite's fixtures of the same names make (tests/conftest.py and
    tests/improvement/conftest.py): Georgia Safe Sleep with its measures, every persona,
    the change idea and its cycle; then the work every test here reads (``make_work``)."""
    rows = georgia_safe_sleep("faculty", "backbone")
    jurisdictions, networks = rows.reference
    team = rows.team
    rows.other_team = network_services.join_network(
        jurisdiction=jurisdictions["OH"], learning_network=networks["smoking-cessation"])
    rows.lead = make_user("lena.lead@example.org")
    network_services.add_member(team=team, user=rows.lead, role=TeamMembership.Role.LEAD)
    rows.member = make_user("max.member@example.org")
    network_services.add_member(team=team, user=rows.member, role=TeamMembership.Role.MEMBER)
    rows.outsider = make_user("otto.outsider@example.org")
    network_services.add_member(team=rows.other_team, user=rows.outsider,
                                role=TeamMembership.Role.LEAD)
    rows.funder = make_user("finn.funder@example.org", network_role=User.NetworkRole.FUNDER)
    rows.stranger = make_user("sam.stranger@example.org")
    rows.idea = services.save_change_idea(
        network=networks["safe-sleep"], title="Crib audits in birthing hospitals",
        description="Audit infant sleep environments on the newborn unit every month.",
        evidence="AAP 2016 safe sleep recommendations; Cribs for Kids hospital certification.")
    rows.cycle = services.plan_cycle(team=team, change_idea=rows.idea, user=rows.lead,
                                     measures=[rows.catalog["SS-CRIB"]], **PLAN)
    rows.work = make_work(team, rows.catalog, rows.idea, rows.lead, rows.faculty, networks)
    return rows


# Every test here reads the same work: it is made once for the module's tests, which follow
# one another on one worker (what a test writes is rolled back after it); the suite's
# fixtures of the same names are these rows.
_work_rows, work_rows = shared_rows("work_rows", load_work)
pytestmark = pytest.mark.xdist_group("improvement-pages")
globals().update(fixtures_from(
    "work_rows", "reference", "catalog", "team", "chosen", "faculty", "backbone", "other_team",
    "lead", "member", "outsider", "funder", "stranger", "idea", "cycle", "work"))


TEAM_PAGES = ["", "aims/", "driver-diagram/", "ideas/", "cycles/", "cycles/1/", "scores/"]


@pytest.mark.parametrize("name", ["lead", "member", "faculty", "backbone", "funder"])
@pytest.mark.parametrize("page", TEAM_PAGES)
def test_the_team_and_those_close_to_it_see_its_work(as_persona, work, name, page,
                                                     django_assert_max_num_queries):
    client = as_persona(name)
    with django_assert_max_num_queries(25):
        response = client.get(T + page)
    assert response.status_code == 200
    text = response.content.decode()
    expected = {"": "Increase safe sleep in our birthing hospitals from 60 % to 85 %",
                "aims/": "by September 30, 2017", "driver-diagram/": "Nurses audit cribs",
                "ideas/": "Crib audits in birthing hospitals", "cycles/": "PDSA 1: Crib audit",
                "cycles/1/": "Can night staff audit 20 cribs", "scores/": "Tests under way"}
    assert expected[page] in text


@pytest.mark.parametrize("page", TEAM_PAGES)
def test_outsiders_and_strangers_get_404_on_team_work(as_persona, work, page):
    assert as_persona("outsider").get(T + page).status_code == 404


@pytest.mark.parametrize("page", TEAM_PAGES)
def test_the_anonymous_are_sent_to_sign_in(as_persona, work, page):
    response = as_persona("anonymous").get(T + page)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_stranger_gets_404(as_persona, work):
    assert as_persona("stranger").get(T + "cycles/1/").status_code == 404


def test_only_get_and_post(as_persona, work):
    client = as_persona("lead")
    assert client.put(T + "cycles/").status_code == 405
    assert client.delete(T + "cycles/1/").status_code == 405


def plan_post(idea, catalog, **extra):
    data = {"change_idea": idea.pk, "title": "Audit on weekends", "objective": "o",
            "questions": "q", "predictions": "p", "plan_who": "w", "plan_what": "w",
            "plan_where": "w", "starts": "2015-08-01", "ends": "2015-08-31",
            "measures": [catalog["SS-CRIB"].pk]}
    return data | extra


def test_a_member_logs_a_cycle_in_a_new_ramp(as_persona, work, idea, catalog, team):
    response = as_persona("member").post(T + "cycles/new/", plan_post(
        idea, catalog, new_ramp="Audits every day of the week"))
    assert response.status_code == 302 and response["Location"] == T + "cycles/2/"
    cycle = PDSACycle.objects.get(team=team, number=2)
    assert cycle.ramp.title == "Audits every day of the week"
    assert list(cycle.measures.all()) == [catalog["SS-CRIB"]]


def test_a_cycle_form_with_errors_says_so(as_persona, work, idea, catalog):
    response = as_persona("lead").post(T + "cycles/new/", plan_post(
        idea, catalog, ends="2015-07-01"))
    assert response.status_code == 400
    assert "The end comes before the start." in response.content.decode()


def test_the_funder_reads_but_may_not_change(as_persona, work, idea, catalog):
    client = as_persona("funder")
    assert client.get(T + "cycles/new/").status_code == 403
    assert client.post(T + "cycles/new/", plan_post(idea, catalog)).status_code == 403
    assert client.post(T + "cycles/1/", {"form": "comment", "comment-text": "Hi"}
                       ).status_code == 403
    assert client.post(T + "scores/", {"month": "2015-07", "rater": "team", "score": "3"}
                       ).status_code == 403
    response = client.get(T + "cycles/1/")
    assert "Close the cycle" not in response.content.decode()


def test_an_outsider_cannot_post_either(as_persona, work, idea, catalog):
    client = as_persona("outsider")
    assert client.post(T + "cycles/new/", plan_post(idea, catalog)).status_code == 404
    assert client.post(T + "cycles/1/", {"form": "comment", "comment-text": "Hi"}
                       ).status_code == 404


def test_faculty_comment_on_the_cycle(as_persona, work, faculty):
    response = as_persona("faculty").post(T + "cycles/1/", {
        "form": "comment", "comment-text": "Good prediction; test nights and weekends next."})
    assert response.status_code == 302
    comment = CycleComment.objects.get()
    assert (comment.author, comment.cycle.number) == (faculty, 1)
    page = as_persona("lead").get(T + "cycles/1/").content.decode()
    assert "test nights and weekends next" in page


def test_closing_without_a_decision_is_refused_on_the_page(as_persona, work):
    client = as_persona("lead")
    response = client.post(T + "cycles/1/", {"form": "close", "close-learned": "Quick.",
                                             "close-closed_on": "2015-07-01"})
    assert response.status_code == 400
    assert "Choose adopt, adapt or abandon to close the cycle." in response.content.decode()
    response = client.post(T + "cycles/1/", {
        "form": "close", "close-learned": "Quicker than predicted.", "close-decision": "adopt",
        "close-closed_on": "2015-07-01"})
    assert response.status_code == 302
    cycle = PDSACycle.objects.get(number=1)
    assert (cycle.decision, cycle.closed_on) == ("adopt", dt.date(2015, 7, 1))


def test_recording_a_status_keeps_the_history(as_persona, work, team, idea):
    response = as_persona("lead").post(T + "ideas/", {
        "change_idea": idea.pk, "status": "implementing", "on": "2015-09-01",
        "note": "All units audit monthly"})
    assert response.status_code == 302
    adoption = Adoption.objects.get(team=team, change_idea=idea)
    assert [e.status for e in adoption.events.all()] == ["testing", "implementing"]


def test_scores_are_recorded_through_the_page(as_persona, work, team):
    response = as_persona("lead").post(T + "scores/", {
        "month": "2015-07", "rater": "team", "score": "3.0", "note": "Modest improvement"})
    assert response.status_code == 302
    assert team.progress_scores.get(month=dt.date(2015, 7, 1)).note == "Modest improvement"


def test_the_diagram_is_edited_on_the_page(as_persona, work, team):
    client = as_persona("lead")
    response = client.post(T + "driver-diagram/", {"form": "add", "add-kind": "primary",
                                                   "add-text": "Families hear one message"})
    assert response.status_code == 302
    page = client.get(T + "driver-diagram/").content.decode()
    assert "Families hear one message" in page and "<svg" in page
    assert 'style="' not in page.split("<svg")[1].split("</svg>")[0]


def test_the_parent_options_read_in_the_readers_language_around_the_written_text(
        as_persona, work, team):
    """Each option is only the driver's text, marked with the language it was written in;
    its kind is the heading of its group, in the reader's language."""
    client = as_persona("lead")
    page = client.get(T + "driver-diagram/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    select = page.split('name="add-parent"')[1].split("</select>")[0]
    assert '<optgroup label="Impulsores primarios">' in select
    assert '<optgroup label="Impulsores secundarios">' in select
    assert ' lang="en">Hospitals model safe sleep</option>' in select
    assert ' lang="en">Nurses audit cribs</option>' in select
    assert "Impulsor primario:" not in select and "Primary" not in select
    # Chosen from a group, the parent is saved as before.
    primary = services.diagram_for(team).nodes.get(kind="primary")
    response = client.post(T + "driver-diagram/", {
        "form": "add", "add-kind": "secondary", "add-text": "Families hear one message",
        "add-parent": primary.pk})
    assert response.status_code == 302
    assert primary.children.filter(text="Families hear one message").exists()


@pytest.mark.parametrize("fmt, kind, start", [("svg", "image/svg+xml", "<?xml"),
                                              ("json", "application/json", "{"),
                                              ("csv", "text/csv", "id,parent_id")])
def test_the_diagram_downloads(as_persona, work, fmt, kind, start):
    response = as_persona("funder").get(T + f"driver-diagram.{fmt}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(kind)
    assert response.content.decode().startswith(start)
    assert "Nurses audit cribs" in response.content.decode()


def test_cycles_filter_by_measure_and_dates_for_a_chart_point(as_persona, work):
    client = as_persona("lead")
    page = client.get(T + "cycles/?measure=SS-CRIB&from=2015-06-01&to=2015-06-30")
    assert "PDSA 1: Crib audit by night staff" in page.content.decode()
    page = client.get(T + "cycles/?measure=SS-CRIB&from=2014-01-01&to=2014-01-31")
    assert "PDSA 1" not in page.content.decode()
    assert client.get(T + "cycles/?measure=NOPE").status_code == 404


# -- network pages -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["anonymous", "stranger", "outsider", "member", "faculty"])
def test_change_package_and_network_aims_are_published(as_persona, work, idea, name):
    client = as_persona(name)
    page = client.get(N + "change-package/")
    assert page.status_code == 200 and "Crib audits in birthing hospitals" in \
        page.content.decode()
    assert "Cribs for Kids" in client.get(N + f"change-package/{idea.pk}/").content.decode()
    assert "Reduce sleep-related infant deaths by 10 %" in client.get(N).content.decode()


@pytest.mark.parametrize("page", ["driver-diagram/", "calendar/", "scores/"])
def test_members_read_the_network_pages_and_strangers_do_not(as_persona, work, page):
    assert as_persona("outsider").get(N + page).status_code in (200, 403)
    assert as_persona("stranger").get(N + page).status_code == 404


def test_faculty_add_to_the_change_package_and_teams_may_not(as_persona, work, networks):
    data = {"title": "Safe sleep education at discharge", "description": "Teach-back.",
            "evidence": "AAP 2016.", "resources": "https://safetosleep.nichd.nih.gov/"}
    assert as_persona("lead").post(N + "change-package/", data).status_code == 403
    assert as_persona("faculty").post(N + "change-package/", data).status_code == 302
    assert ChangeIdea.objects.filter(title=data["title"]).exists()


def test_only_the_networks_faculty_edit_its_diagram(as_persona, work):
    data = {"form": "add", "add-kind": "primary", "add-text": "Safe hospitals"}
    assert as_persona("lead").post(N + "driver-diagram/", data).status_code == 403
    assert as_persona("faculty").post(N + "driver-diagram/", data).status_code == 302
    assert "Safe hospitals" in as_persona("member").get(N + "driver-diagram/").content.decode()


def test_heat_map_shows_scores_with_numbers(as_persona, work, django_assert_max_num_queries):
    client = as_persona("faculty")
    with django_assert_max_num_queries(15):
        page = client.get(N + "scores/").content.decode()
    assert 'class="heat-5"' in page and ">2.5<" in page
    # The scale is said where the scores are shown: the heat map, the team's home and page.
    scale = "from 0.5 (intent to participate) to 5.0 (outstanding sustainable results)"
    assert scale in page
    assert scale in client.get(T).content.decode()
    assert scale in client.get(T + "scores/").content.decode()
    assert ">3.0<" in client.get(N + "scores/?rater=coach").content.decode()
    assert as_persona("outsider").get(N + "scores/").status_code == 403


def test_faculty_record_attendance(as_persona, work, team):
    event = work.team.learning_network.events.get()
    url = N + f"calendar/{event.pk}/"
    assert as_persona("lead").post(url, {"attended": [team.pk]}).status_code == 403
    response = as_persona("faculty").post(url, {"attended": [team.pk],
                                                f"who-{team.pk}": "Lead, data lead"})
    assert response.status_code == 302
    assert Attendance.objects.get(team=team).who == "Lead, data lead"
    page = as_persona("member").get(url).content.decode()
    assert "Lead, data lead" in page


def test_the_calendar_lists_past_sessions(as_persona, work):
    page = as_persona("member").get(N + "calendar/").content.decode()
    assert "Learning session 2" in page


@pytest.mark.parametrize("url", ["/what-works/", "/networks/safe-sleep/what-works/"])
def test_what_works_pages_say_how_and_show_ideas(as_persona, work, url,
                                                 django_assert_max_num_queries):
    client = as_persona("member")
    # A fixed number: the estimates read stored rows, the teams' own charts their summaries.
    with django_assert_max_num_queries(30):
        page = client.get(url).content.decode()
    assert "How the effects are estimated" in page and "Crib audits in birthing hospitals" in page
    assert as_persona("stranger").get(url).status_code == 404


def test_team_names_on_what_works_follow_who_may_see_the_teams_data(as_persona, work, team):
    url = "/networks/safe-sleep/what-works/"
    assert "Georgia" in as_persona("member").get(url).content.decode()
    assert ">Georgia<" not in as_persona("outsider").get(url).content.decode()


def test_plan_fields_are_all_shown(as_persona, work):
    page = as_persona("lead").get(T + "cycles/1/").content.decode()
    for key in ("objective", "questions", "predictions", "plan_who", "plan_what",
                "plan_where"):
        assert PLAN[key].split(" (")[0][:20] in page
