"""Storyboards: the workflow and its errors, who may do what, and the public pages, whose
chart and CSV never show a small count nor let one be worked out."""

from __future__ import annotations

import csv
import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coiin.reports.public import publication
from coiin.storyboards import services as service
from coiin.storyboards.models import Storyboard, StoryboardEvent
from coiin.storyboards.release import locked_counts, protect, storyboard_release

from ..conftest import fixtures_from, georgia_safe_sleep, shared_rows
from ..demo.test_improvement import load_demo
from ..reports.public.test_data import report

S = Storyboard.Status
# Georgia's crib audits (SS-CRIB, monthly): (safe cribs, cribs audited). Small counts on
# purpose: 3 and 7 safe cribs, 8 cribs audited, must never be published.
CRIB = {
    "2015-01": (3, 25), "2015-02": (14, 30), "2015-03": (18, 31), "2015-04": (22, 33),
    "2015-05": (7, 8), "2015-06": (25, 34), "2015-07": (27, 35), "2015-08": (29, 36),
    "2016-01": (30, 40), "2016-02": (31, 41), "2016-03": (33, 42),
}
STORY = {
    "title": "Night-shift crib audits",
    "problem": "Only **half** of the cribs on our newborn units were safe.",
    "aim": "80 % of cribs safe by December 2015.",
    "changes": "- Night staff audit 20 cribs a month\n- Feedback at the huddle",
    "results": "Safe cribs rose from 12 % to 80 %.",
    "lessons": "Start with one unit. <script>alert(1)</script>",
}


def small(text: str) -> bool:
    return text.isdigit() and 1 <= int(text) <= 9


def load_crib_data() -> SimpleNamespace:
    """Georgia Safe Sleep with its network's measures and its crib audits, reported by the
    backbone user: the shared fixtures (reference, catalog, team, chosen, backbone) as
    tests/conftest.py makes them, and the audits."""
    rows = georgia_safe_sleep("backbone")
    crib = rows.catalog["SS-CRIB"]
    for label, (n, d) in CRIB.items():
        report(rows.team, crib, label, n, d, user=rows.backbone)
    # A period still in review: never on a storyboard.
    report(rows.team, crib, "2016-04", 5, 77777, user=rows.backbone, status="reviewed")
    return rows


# Georgia's audits are reported once for the module's tests, which follow one another on one
# worker (what a test writes is rolled back after it); the shared fixtures they are made of
# are these rows.
_crib_rows, crib_rows = shared_rows("crib_rows", load_crib_data)
pytestmark = pytest.mark.xdist_group("storyboards")


globals().update(fixtures_from("crib_rows", "reference", "catalog", "team", "chosen", "backbone"))


@pytest.fixture
def crib_data(catalog):
    return catalog["SS-CRIB"]


@pytest.fixture
def draft(team, lead, crib_data, idea) -> Storyboard:
    return service.save_storyboard(team=team, user=lead, measure=crib_data, change_idea=idea,
                                   **STORY)


@pytest.fixture
def approved(draft, lead, faculty) -> Storyboard:
    service.submit_storyboard(storyboard=draft, user=lead)
    return service.approve_storyboard(storyboard=draft, user=faculty, comment="Clear story.")


@pytest.fixture
def public(approved, backbone) -> Storyboard:
    return service.publish_storyboard(storyboard=approved, user=backbone)


# ---------------------------------------------------------------------------- workflow


def test_the_full_workflow_is_recorded_step_by_step(draft, lead, faculty, backbone):
    service.submit_storyboard(storyboard=draft, user=lead)
    service.request_changes(storyboard=draft, user=faculty, comment="Show the baseline.")
    service.save_storyboard(team=draft.team, user=lead, storyboard=draft,
                            measure=draft.measure, **{**STORY, "results": "Baseline 12 %."})
    service.submit_storyboard(storyboard=draft, user=lead)
    draft.refresh_from_db()
    assert draft.status == S.RESUBMITTED
    service.approve_storyboard(storyboard=draft, user=faculty)
    service.publish_storyboard(storyboard=draft, user=backbone)
    draft.refresh_from_db()
    assert draft.status == S.PUBLISHED and draft.published_at is not None
    steps = list(StoryboardEvent.objects.filter(storyboard=draft)
                 .values_list("status", "by__email", "comment"))
    assert [s for s, _, _ in steps] == [S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED,
                                        S.RESUBMITTED, S.APPROVED, S.PUBLISHED]
    assert steps[2] == (S.CHANGES_REQUESTED, faculty.email, "Show the baseline.")
    assert steps[5][1] == backbone.email


def test_only_an_approved_storyboard_can_be_published(draft, lead, backbone):
    with pytest.raises(ValidationError, match="approved by faculty"):
        service.publish_storyboard(storyboard=draft, user=backbone)
    service.submit_storyboard(storyboard=draft, user=lead)
    with pytest.raises(ValidationError, match="submitted for review"):
        service.publish_storyboard(storyboard=draft, user=backbone)
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_a_published_storyboard_cannot_be_changed_until_unpublished(public, lead, backbone):
    with pytest.raises(ValidationError, match="unpublish it"):
        service.save_storyboard(team=public.team, user=lead, storyboard=public,
                                measure=public.measure, **{**STORY, "title": "New title"})
    public.refresh_from_db()
    assert public.title == STORY["title"]
    service.unpublish_storyboard(storyboard=public, user=backbone, comment="Typo.")
    changed = service.save_storyboard(team=public.team, user=lead, storyboard=public,
                                      measure=public.measure, **{**STORY, "title": "New title"})
    assert (changed.title, changed.status) == ("New title", S.DRAFT)  # to be reviewed again


def test_a_storyboard_under_review_cannot_be_changed(draft, lead):
    service.submit_storyboard(storyboard=draft, user=lead)
    with pytest.raises(ValidationError, match="with faculty for review"):
        service.save_storyboard(team=draft.team, user=lead, storyboard=draft,
                                measure=draft.measure, **STORY)


def test_changes_need_a_comment_and_a_storyboard_under_review(draft, lead, faculty):
    with pytest.raises(ValidationError, match="under review"):
        service.approve_storyboard(storyboard=draft, user=faculty)
    service.submit_storyboard(storyboard=draft, user=lead)
    with pytest.raises(ValidationError) as exc:
        service.request_changes(storyboard=draft, user=faculty, comment="  ")
    assert exc.value.message_dict == {"comment": ["Say what the team should change."]}


def test_an_incomplete_story_cannot_be_submitted(team, lead, crib_data):
    sb = service.save_storyboard(team=team, user=lead, measure=crib_data, title="Half-written",
                                 problem="Unsafe cribs.")
    with pytest.raises(ValidationError, match="missing: aim, changes tested, results, "
                       "lessons learned"):
        service.submit_storyboard(storyboard=sb, user=lead)
    sb.refresh_from_db()
    assert sb.status == S.DRAFT


def test_the_chart_measure_must_be_one_of_the_teams(team, lead, chosen, catalog, other_idea):
    with pytest.raises(ValidationError) as exc:
        service.save_storyboard(team=team, user=lead, measure=catalog["PTB"],
                                change_idea=other_idea, **STORY)
    errors = exc.value.message_dict
    assert "is not one of" in errors["measure"][0]
    assert "another network's change package" in errors["change_idea"][0]
    assert not Storyboard.objects.exists()


def test_the_period_range_is_whole_periods_in_order(team, lead, crib_data):
    sb = service.save_storyboard(team=team, user=lead, measure=crib_data,
                                 period_from=dt.date(2015, 3, 17),
                                 period_to=dt.date(2015, 6, 2), **STORY)
    assert (sb.period_from, sb.period_to) == (dt.date(2015, 3, 1), dt.date(2015, 6, 1))
    with pytest.raises(ValidationError) as exc:
        service.save_storyboard(team=team, user=lead, measure=crib_data,
                                period_from=dt.date(2015, 6, 1),
                                period_to=dt.date(2015, 3, 1), **STORY)
    assert "period_to" in exc.value.message_dict


# ---------------------------------------------------------------------------- access

def _urls(sb: Storyboard) -> dict[str, str]:
    args = [sb.team.learning_network.slug, sb.team.jurisdiction.postal_code.lower()]
    return {"list": reverse("storyboards:list", args=args),
            "new": reverse("storyboards:new", args=args),
            "detail": reverse("storyboards:detail", args=[*args, sb.pk]),
            "edit": reverse("storyboards:edit", args=[*args, sb.pk]),
            "step": reverse("storyboards:step", args=[*args, sb.pk]),
            "queue": reverse("storyboards:queue", args=[args[0]])}


def test_a_team_member_writes_and_submits_through_the_pages(as_persona, draft):
    urls = _urls(draft)
    client = as_persona("member")
    page = client.get(urls["list"])
    assert page.status_code == 200 and STORY["title"] in page.text
    form = {**STORY, "title": "Crib audits, night shift", "measure": draft.measure.pk,
            "period_from": "2015-02", "period_to": "2015-08"}
    response = client.post(urls["edit"], form)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.period_from) == ("Crib audits, night shift", dt.date(2015, 2, 1))
    assert client.post(urls["step"], {"step": "submit"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED
    detail = client.get(urls["detail"])
    assert "Submitted for review" in detail.text
    assert "<script>alert" not in detail.text and "<strong>half</strong>" in detail.text


def test_the_form_names_the_wrong_field(as_persona, team, crib_data, catalog):
    client = as_persona("lead")
    response = client.post(_urls(Storyboard(team=team, pk=1))["new"], {
        **STORY, "title": "", "measure": crib_data.pk, "period_from": "2015-06",
        "period_to": "2015-02"})
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert not Storyboard.objects.exists()


def test_an_outsider_gets_404_everywhere(as_persona, draft):
    client = as_persona("outsider")
    for name in ("list", "new", "detail", "edit"):
        assert client.get(_urls(draft)[name]).status_code == 404, name
    assert client.post(_urls(draft)["step"], {"step": "submit"}).status_code == 404
    # The network's pages are open to every member of the CoIIN; its queue is not, and
    # shows nothing of the teams' work to them.
    queue = client.get(_urls(draft)["queue"])
    assert queue.status_code == 403 and STORY["title"] not in queue.text


def test_the_funder_reads_but_may_not_write(as_persona, draft):
    client = as_persona("funder")
    assert client.get(_urls(draft)["detail"]).status_code == 200
    assert client.get(_urls(draft)["new"]).status_code == 403
    assert client.post(_urls(draft)["step"], {"step": "submit"}).status_code == 403
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_faculty_review_their_own_networks_storyboards_only(as_persona, draft, lead,
                                                            other_team):
    service.submit_storyboard(storyboard=draft, user=lead)
    urls = _urls(draft)
    client = as_persona("faculty")
    queue = client.get(urls["queue"])
    assert queue.status_code == 200 and STORY["title"] in queue.text
    assert client.post(urls["step"], {"step": "publish"}).status_code == 403
    response = client.post(urls["step"], {"step": "request_changes", "comment": ""})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED  # refused: no comment
    client.post(urls["step"], {"step": "approve", "comment": "Good."})
    draft.refresh_from_db()
    assert draft.status == S.APPROVED
    other = reverse("storyboards:queue", args=[other_team.learning_network.slug])
    assert client.get(other).status_code == 403  # a member of the CoIIN, not that faculty


def test_team_members_may_not_review_their_own(as_persona, draft, lead):
    service.submit_storyboard(storyboard=draft, user=lead)
    client = as_persona("lead")
    assert client.post(_urls(draft)["step"], {"step": "approve"}).status_code == 403
    assert client.get(_urls(draft)["queue"]).status_code == 403


def test_backbone_staff_publish_from_the_queue(as_persona, approved):
    client = as_persona("backbone")
    queue = client.get(_urls(approved)["queue"])
    assert f"Publish “{approved.title}”" in queue.text
    response = client.post(_urls(approved)["step"], {"step": "publish", "next": "queue"})
    assert response.status_code == 302 and response.url == _urls(approved)["queue"]
    approved.refresh_from_db()
    assert approved.status == S.PUBLISHED


def test_unknown_step_and_wrong_method(as_persona, draft):
    client = as_persona("lead")
    assert client.post(_urls(draft)["step"], {"step": "delete"}).status_code == 400
    assert client.get(_urls(draft)["step"]).status_code == 405


# ---------------------------------------------------------------------------- public


def test_the_public_sees_only_published_storyboards(client, draft, team, lead, crib_data):
    other = service.save_storyboard(team=team, user=lead, measure=crib_data,
                                    **{**STORY, "title": "Still a draft"})
    assert client.get(reverse("storyboards:public_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("storyboards:public_csv", args=[draft.pk])).status_code == 404
    index = client.get(reverse("public:index"))
    assert "No storyboards are published yet." in index.text
    service.submit_storyboard(storyboard=draft, user=lead)
    draft.status = S.APPROVED
    draft.save()
    service.publish_storyboard(storyboard=draft, user=None)
    index = client.get(reverse("public:index"))
    assert STORY["title"] in index.text and "Still a draft" not in index.text
    listing = client.get(reverse("storyboards:public_index"))
    assert STORY["title"] in listing.text and "Still a draft" not in listing.text
    page = client.get(reverse("storyboards:public_detail", args=[draft.pk]))
    assert page.status_code == 200
    assert "Georgia" in page.text and "<strong>half</strong>" in page.text
    assert client.get(reverse("storyboards:public_detail", args=[other.pk])).status_code == 404


def _csv_rows(client, sb: Storyboard) -> tuple[str, list[dict[str, str]]]:
    response = client.get(reverse("storyboards:public_csv", args=[sb.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    return text, list(csv.DictReader(io.StringIO(text)))


def test_the_public_csv_never_holds_a_small_count(client, public):
    text, rows = _csv_rows(client, public)
    assert [r["period"] for r in rows] == list(CRIB)  # locked periods only
    assert "77777" not in text  # the period in review
    for r in rows:
        assert not small(r["numerator"]) and not small(r["denominator"]), r
    jan = rows[0]
    assert (jan["numerator"], jan["numerator_flag"], jan["rate_flag"]) == \
        ("", "suppressed", "suppressed")
    may = rows[4]
    assert may["denominator"] == "" and may["denominator_flag"] == "suppressed"


def test_hidden_counts_cannot_be_worked_out_from_the_year_totals(client, public):
    """SS-CRIB is not published, so no year's total is public: each year hides at least one
    period of each count, and a year's hidden counts are not worked out by subtraction."""
    _, rows = _csv_rows(client, public)
    for year in ("2015", "2016"):
        mine = [r for r in rows if r["period"].startswith(year)]
        for part in ("numerator", "denominator"):
            assert any(r[f"{part}_flag"] == "suppressed" for r in mine), (year, part)
    num, _ = locked_counts(public.team, public.measure)
    hidden = {r["period"] for r in rows if r["numerator_flag"]}
    assert len([p for p in hidden if p.startswith("2015")]) >= 2  # 3 (Jan) and 7 (May)
    assert sum(v for k, v in num.items() if k.year == 2015 and
               k.strftime("%Y-%m") in hidden) >= publication.threshold()


def test_rates_with_few_events_are_flagged_unreliable(client, public):
    _, rows = _csv_rows(client, public)
    shown = [r for r in rows if r["rate"]]
    assert shown
    for r in shown:
        expected = "unreliable" if int(r["numerator"]) < publication.unreliable_below() else ""
        assert r["rate_flag"] == expected
        assert float(r["rate"]) == pytest.approx(
            int(r["numerator"]) / int(r["denominator"]) * public.measure.multiplier, abs=0.01)


def test_the_period_range_narrows_what_is_shown_but_not_the_pattern(public, team):
    whole = {c.period.label: c for c in storyboard_release(team, public.measure).cells}
    part = storyboard_release(team, public.measure, dt.date(2015, 3, 1), dt.date(2015, 6, 1))
    assert [c.period.label for c in part.cells] == ["2015-03", "2015-04", "2015-05", "2015-06"]
    for c in part.cells:
        assert (c.numerator, c.denominator) == (whole[c.period.label].numerator,
                                                whole[c.period.label].denominator)


def test_public_chart_data_has_only_shown_values(client, public):
    page = client.get(reverse("storyboards:public_detail", args=[public.pk]))
    spec = page.context["spec"]
    values = spec["data"]["values"]
    shown = {r["label"] for r in page.context["rows"] if r["rate"]}
    assert {v["label"] for v in values if v["value"] is not None} == shown
    assert all(v["value"] is None for v in values if v["label"] not in shown)  # gaps
    assert "2015-01" not in shown


# ---------------------------------------------------------------------------- the engine


def test_a_published_year_total_is_never_relied_on_as_hidden():
    months = {dt.date(2015, m, 1): c for m, c in [(1, 3), (2, 40), (3, 45), (4, 50)]}
    total = sum(months.values())
    hidden = protect(months, {2015: total}, 10)
    # With the total public, hiding January alone gives it away: more must go.
    assert dt.date(2015, 1, 1) in hidden and len(hidden) >= 2
    assert sum(months[d] for d in hidden) >= 10


def test_big_counts_lose_one_period_a_year_only_when_the_total_is_not_public():
    months = {dt.date(y, m, 1): 30 + m for y in (2015, 2016) for m in (1, 2, 3)}
    assert protect(months, {2015: 96, 2016: 96}, 10) == set()
    hidden = protect(months, {}, 10)
    assert sorted({d.year for d in hidden}) == [2015, 2016]
    assert len(hidden) == 2


def test_list_queue_and_public_pages_use_a_fixed_number_of_queries(
        as_persona, public, team, lead, crib_data, django_assert_max_num_queries):
    for i in range(3):
        sb = service.save_storyboard(team=team, user=lead, measure=crib_data,
                                     **{**STORY, "title": f"Another story {i}"})
        service.submit_storyboard(storyboard=sb, user=lead)
    client = as_persona("backbone")
    with django_assert_max_num_queries(12):
        page = client.get(_urls(public)["list"])
    assert page.text.count("Another story") == 3
    with django_assert_max_num_queries(12):
        page = client.get(_urls(public)["queue"])
    assert page.text.count("Another story") == 3
    client.logout()
    with django_assert_max_num_queries(12):
        page = client.get(reverse("storyboards:public_index"))
    assert STORY["title"] in page.text and "Another story" not in page.text


def test_a_chart_that_cannot_be_published_says_why(as_persona, draft):
    from coiin.measures.models import DataValue

    DataValue.objects.filter(measure=draft.measure, submission__period_start=dt.date(
        2015, 2, 1)).update(numerator="14.5")
    page = as_persona("lead").get(_urls(draft)["detail"])
    assert page.status_code == 200
    assert "This chart cannot be published" in page.text and "not a whole count" in page.text


def test_the_storyboard_pages_read_in_spanish_for_a_browser_that_asks_for_it(client, public,
                                                                              as_persona):
    index = client.get(reverse("storyboards:public_index"), HTTP_ACCEPT_LANGUAGE="es").text
    assert '<html lang="es"' in index and "<h1>Storyboards: lecciones aprendidas</h1>" in index
    page = client.get(reverse("storyboards:public_detail", args=[public.pk]),
                      HTTP_ACCEPT_LANGUAGE="es").text
    for spanish in ("Un storyboard del equipo de", "en la red de aprendizaje",
                    "por período mensual", "Solo datos cerrados.", "El gráfico como tabla",
                    "Numerador"):
        assert spanish in page, spanish
    assert "The chart as a table" not in page and STORY["title"] in page  # the story as written
    team_page = as_persona("member").get(_urls(public)["detail"], HTTP_ACCEPT_LANGUAGE="es").text
    assert '<html lang="es"' in team_page and "Aprobado por el cuerpo docente" in team_page
    assert ">Publicado</span>" in team_page and "Historial" in team_page


# ---------------------------------------------------------------------------- the demo
# Last in the module: the demo's rows are not the shared crib audits, which are rolled back
# before it (and would be made again for any test after it).


@pytest.fixture
def demo(db):
    return load_demo()


def test_the_demo_publishes_one_storyboard_and_queues_two(demo, client):
    from coiin.demo.storyboards import load_storyboard_demo

    states = dict(Storyboard.objects.values_list("status", "team__jurisdiction__postal_code"))
    assert sorted(states) == sorted([S.PUBLISHED, S.SUBMITTED, S.APPROVED])
    public = Storyboard.objects.get(status=S.PUBLISHED)
    assert (public.team.jurisdiction.postal_code, public.team.learning_network.slug) == \
        ("GA", "safe-sleep")
    assert public.change_idea is not None and public.title.startswith(public.change_idea.title)
    index = client.get(reverse("public:index"))
    assert public.title in index.text
    _, rows = _csv_rows(client, public)
    assert rows and not any(small(r[c]) for r in rows for c in ("numerator", "denominator"))
    assert load_storyboard_demo(log=lambda _: None) == 0
    assert Storyboard.objects.count() == 3
