"""Reports on a schedule: when a period is due, running the schedules, the schedules page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from coiin.network import services
from coiin.reports.jobs import run_schedules_task
from coiin.reports.jobs import services as jobs
from coiin.reports.models import ReportJob, ReportSchedule, ReportSnapshot

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                         "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _media_and_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = IMMEDIATE


@pytest.mark.parametrize(("frequency", "today", "due"), [
    ("monthly", "2026-01-01", "2025-12"),  # across the year boundary
    ("monthly", "2026-01-31", "2025-12"),
    ("monthly", "2026-02-01", "2026-01"),
    ("monthly", "2024-03-01", "2024-02"),  # after a leap-year February
    ("monthly", "2026-12-31", "2026-11"),
    ("quarterly", "2026-01-01", "2025-Q4"),  # across the year boundary
    ("quarterly", "2026-03-31", "2025-Q4"),  # Q1 is not over yet
    ("quarterly", "2026-04-01", "2026-Q1"),
    ("quarterly", "2026-07-15", "2026-Q2"),
    ("quarterly", "2026-12-31", "2026-Q3"),
])
def test_the_due_period_is_the_latest_closed_one(frequency, today, due):
    assert jobs.due_period(frequency, dt.date.fromisoformat(today)).label == due


@pytest.fixture
def teams(team, other_team, jurisdictions, networks):
    """Georgia and Alabama in Safe Sleep since 2014 (Ohio's team is in another network)."""
    alabama = services.join_network(jurisdiction=jurisdictions["AL"],
                                    learning_network=networks["safe-sleep"])
    for t in (team, alabama, other_team):
        t.joined_on = dt.date(2014, 1, 1)
        t.save()
    return [alabama, team]


def schedule(backbone, network, **fields) -> ReportSchedule:
    values = {"kind": "teams", "format": "html", "frequency": "monthly", **fields}
    return ReportSchedule.objects.create(network=network, created_by=backbone, **values)


def run(capture, today: str) -> list[ReportJob]:
    with capture(execute=False):
        return jobs.run_schedules(today=dt.date.fromisoformat(today))


def test_a_monthly_schedule_asks_once_per_closed_month(backbone, teams,
                                                       django_capture_on_commit_callbacks):
    s = schedule(backbone, teams[0].learning_network)
    first = run(django_capture_on_commit_callbacks, "2026-01-03")
    assert [(j.kind, j.team, j.period, j.schedule) for j in first] == [
        ("team", teams[0], "2025-12", s), ("team", teams[1], "2025-12", s)]
    assert all(j.requested_by == backbone for j in first)
    s.refresh_from_db()
    assert s.last_run_period == "2025-12" and s.last_run_at is not None
    assert run(django_capture_on_commit_callbacks, "2026-01-03") == []
    assert run(django_capture_on_commit_callbacks, "2026-01-31") == []
    february = run(django_capture_on_commit_callbacks, "2026-02-01")
    assert [j.period for j in february] == ["2026-01", "2026-01"]
    assert ReportJob.objects.count() == 4


def test_a_quarterly_schedule_asks_once_per_closed_quarter(backbone, teams,
                                                           django_capture_on_commit_callbacks):
    network = teams[0].learning_network
    s = schedule(backbone, network, kind="network", frequency="quarterly", format="pdf")
    first = run(django_capture_on_commit_callbacks, "2026-01-10")
    assert [(j.kind, j.network, j.team, j.period, j.format) for j in first] == [
        ("network", network, None, "2025-Q4", "pdf")]
    assert run(django_capture_on_commit_callbacks, "2026-03-31") == []
    assert [j.period for j in run(django_capture_on_commit_callbacks, "2026-04-01")] == [
        "2026-Q1"]
    s.refresh_from_db()
    assert s.last_run_period == "2026-Q1"


def test_a_paused_schedule_asks_for_nothing(backbone, teams, django_capture_on_commit_callbacks):
    s = schedule(backbone, teams[0].learning_network, active=False)
    assert run(django_capture_on_commit_callbacks, "2026-01-03") == []
    s.refresh_from_db()
    assert s.last_run_period == ""


def test_teams_that_joined_after_the_period_are_left_out(backbone, teams,
                                                         django_capture_on_commit_callbacks):
    teams[0].joined_on = dt.date(2026, 1, 15)
    teams[0].save()
    schedule(backbone, teams[0].learning_network)
    assert [j.team for j in run(django_capture_on_commit_callbacks, "2026-01-03")] == [teams[1]]


def test_scheduled_team_reports_are_made_and_kept(backbone, teams,
                                                  django_capture_on_commit_callbacks):
    schedule(backbone, teams[0].learning_network)
    with django_capture_on_commit_callbacks(execute=True):
        requested = jobs.run_schedules(today=dt.date(2026, 1, 3))
    made = ReportJob.objects.filter(pk__in=[j.pk for j in requested])
    assert {j.status for j in made} == {ReportJob.Status.DONE}
    assert sorted(ReportSnapshot.objects.values_list("team__jurisdiction__postal_code", "period")
                  ) == [("AL", "2025-12"), ("GA", "2025-12")]


def test_the_command_run_twice_requests_each_report_once(backbone, teams,
                                                         django_capture_on_commit_callbacks):
    schedule(backbone, teams[0].learning_network)
    outputs = []
    for _ in range(2):
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=False):
            call_command("run_report_schedules", "--today", "2026-01-03", stdout=out)
        outputs.append(out.getvalue())
    assert "2 reports requested for 2025-12" in outputs[0]
    assert outputs[0].rstrip().endswith("2 reports requested.")
    assert outputs[1].strip() == "0 reports requested."
    assert ReportJob.objects.count() == 2


def test_the_command_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="--today '2026-13-01' is not a date"):
        call_command("run_report_schedules", "--today", "2026-13-01")


def test_the_schedules_run_as_a_task_too(backbone, teams, django_capture_on_commit_callbacks):
    schedule(backbone, teams[0].learning_network)
    with django_capture_on_commit_callbacks(execute=False):
        result = run_schedules_task.enqueue()
    assert result.return_value == len(teams)
    assert ReportJob.objects.count() == len(teams)


# The schedules page


def page(slug: str = "safe-sleep") -> str:
    return reverse("report_schedules", args=[slug])


def test_backbone_staff_add_a_schedule(as_persona, backbone, teams):
    client = as_persona("backbone")
    response = client.post(page(), {"kind": "network", "frequency": "quarterly",
                                    "format": "xlsx"})
    assert response.status_code == 302 and response["Location"] == page()
    s = ReportSchedule.objects.get()
    assert (s.network, s.kind, s.frequency, s.format, s.active, s.created_by) == (
        teams[0].learning_network, "network", "quarterly", "xlsx", True, backbone)
    html = client.get(page()).content.decode()
    assert "Learning-network report" in html and "Quarterly" in html
    assert "Excel (XLSX)" in html and "not yet" in html


def test_each_wrong_field_is_named_and_nothing_is_stored(as_persona, teams):
    response = as_persona("backbone").post(page(), {"kind": "everything", "format": "html"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_kind_error"' in html and "Select a valid choice" in html
    assert 'id="id_frequency_error"' in html and "This field is required." in html
    assert 'id="id_format_error"' not in html
    assert not ReportSchedule.objects.exists()


def test_the_same_schedule_twice_is_refused(as_persona, backbone, teams):
    schedule(backbone, teams[0].learning_network)
    response = as_persona("backbone").post(page(), {"kind": "teams", "frequency": "monthly",
                                                    "format": "html"})
    assert response.status_code == 400
    assert "already has that schedule" in response.content.decode()
    assert ReportSchedule.objects.count() == 1


def test_pause_resume_and_delete(as_persona, backbone, teams,
                                 django_capture_on_commit_callbacks):
    s = schedule(backbone, teams[0].learning_network)
    run(django_capture_on_commit_callbacks, "2026-01-03")
    client = as_persona("backbone")
    toggle = reverse("report_schedule_toggle", args=["safe-sleep", s.pk])
    assert client.post(toggle).status_code == 302
    s.refresh_from_db()
    assert s.active is False
    assert "Paused" in client.get(page()).content.decode()
    client.post(toggle)
    s.refresh_from_db()
    assert s.active is True
    assert client.post(reverse("report_schedule_delete", args=["safe-sleep", s.pk])
                       ).status_code == 302
    assert not ReportSchedule.objects.exists()
    assert ReportJob.objects.filter(schedule=None).count() == 2  # its reports are kept


def test_a_schedule_of_another_network_is_404(as_persona, backbone, teams, networks):
    s = schedule(backbone, networks["smoking-cessation"])
    url = reverse("report_schedule_toggle", args=["safe-sleep", s.pk])
    assert as_persona("backbone").post(url).status_code == 404
    s.refresh_from_db()
    assert s.active is True


@pytest.mark.parametrize(("persona", "status"), [
    ("lead", 403), ("faculty", 403), ("funder", 403), ("stranger", 404),
])
def test_only_backbone_staff_manage_schedules(as_persona, backbone, teams, persona, status):
    s = schedule(backbone, teams[0].learning_network)
    client = as_persona(persona)
    assert client.get(page()).status_code == status
    assert client.post(page(), {"kind": "network", "frequency": "monthly",
                                "format": "pdf"}).status_code == status
    assert client.post(reverse("report_schedule_delete", args=["safe-sleep", s.pk])
                       ).status_code == status
    assert list(ReportSchedule.objects.all()) == [s]


def test_anonymous_is_sent_to_sign_in_and_actions_need_post(as_persona, client, backbone, teams):
    response = client.get(page())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    s = schedule(backbone, teams[0].learning_network)
    toggle = reverse("report_schedule_toggle", args=["safe-sleep", s.pk])
    assert as_persona("backbone").get(toggle).status_code == 405


def test_an_unknown_network_is_404(as_persona, teams):
    assert as_persona("backbone").get(page("no-such-network")).status_code == 404


def test_the_schedules_page_makes_few_queries(as_persona, backbone, teams, networks,
                                              django_capture_on_commit_callbacks,
                                              django_assert_max_num_queries):
    schedule(backbone, teams[0].learning_network)
    schedule(backbone, teams[0].learning_network, kind="network", frequency="quarterly")
    run(django_capture_on_commit_callbacks, "2026-01-03")
    run(django_capture_on_commit_callbacks, "2026-02-03")  # 5 jobs: queries must not grow
    client = as_persona("backbone")
    with django_assert_max_num_queries(9):
        html = client.get(page()).content.decode()
    assert html.count(reverse("report_job", args=[ReportJob.objects.first().pk])) == 1
    assert html.count("2025-12") == 2  # the two teams' December jobs
    assert html.count("2026-01") == 3  # the monthly schedule's last period and its two jobs
