"""Every page of the site, for the sweeps that open them all (tests/browser): the named routes
with their arguments filled from a small demo network, and that network.

The pages come from the URL configuration: every named route is either visited (its arguments
filled from the demo network) or listed in NOT_PAGES with the reason, so a new page cannot be
missed silently. ``demo_network`` loads the network once for a test module whose tests all open
every page (the accessibility audit and the Spanish check share it)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from coiin.measures.periods import Frequency, Period

ROLES = {"anonymous": None, "lead": "lead", "datalead": "data_lead", "member": "member",
         "faculty": "faculty", "backbone": "backbone", "funder": "funder"}

# Named routes that are not pages to audit, and why.
NOT_PAGES = {
    # Downloads and feeds: files, not pages.
    "chart_download": "a chart as PNG/SVG/CSV", "network_funnel_csv": "CSV",
    "public:network_csv": "CSV", "public:jurisdiction_csv": "CSV", "public:measure_csv": "CSV",
    "storyboards:public_csv": "CSV", "import_template": "a spreadsheet",
    "export_data": "a spreadsheet (its form is on the data page)",
    "improvement:network_diagram_export": "a diagram file",
    "improvement:team_diagram_export": "a diagram file",
    "community:attachment": "a file", "community:resource_file": "a file",
    "community:event_material": "a file",
    "community:calendar_feed": "iCalendar", "community:network_calendar_feed": "iCalendar",
    "report_job_status": "JSON", "report_snapshot": "a report file (HTML ones: see below)",
    "scim_users": "SCIM JSON", "scim_user": "SCIM JSON",
    # One-off links from e-mails: their tokens are secrets made per person.
    "accept_invitation": "a single-use token from an e-mail",
    "community:unsubscribe": "a signed token from an e-mail",
    # Actions: POST only, they redirect to pages audited here.
    "lock_data": "POST", "reopen_data": "POST", "grant_exception": "POST",
    "review_data": "POST", "submit_imported": "POST", "bulk_lock": "POST", "undo_lock": "POST",
    "bulk_review": "POST", "undo_review": "POST", "report_schedule_toggle": "POST",
    "report_schedule_delete": "POST", "improvement:idea_confirm": "POST",
    "improvement:idea_primary": "POST",
    "community:comment": "POST", "community:answer": "POST", "community:moderate": "POST",
    "community:report": "POST", "community:hide_comment": "POST",
    "community:resolve_report": "POST", "community:ta_reply": "POST",
    "community:ta_status": "POST", "community:ta_assign": "POST", "community:ta_rate": "POST",
    "community:mark_read": "POST", "community:open_notification": "redirects to what it names",
    "community:event_cancel": "POST", "community:event_rsvp": "POST",
    "community:event_attendance": "POST", "community:event_materials": "POST",
    "community:pairing_answer": "POST", "community:pairing_meeting": "POST",
    "community:pairing_close": "POST", "community:mentor_request": "POST",
    "storyboards:step": "POST", "api_token_revoke": "POST",
}
# Whole trees: Django's own admin (backbone staff only, Django's templates), the JSON API,
# and allauth's routes other than those listed in ACCOUNT_PAGES.
NOT_PREFIXES = ("admin/", "api/v1/", "accounts/")
ACCOUNT_PAGES = ["account_login", "account_signup", "account_reset_password",
                 "account_change_password", "account_email", "mfa_index"]


def _routes(resolver=None, prefix: str = "", ns: str = ""):
    """(name, route, argument names) of every named route."""
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p, prefix + str(p.pattern), ns + (
                f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern) and p.name:
            yield ns + p.name, prefix + str(p.pattern), list(p.pattern.converters)


def load_network():
    """A small demo network: Georgia's teams and one more Safe Sleep team with their data,
    improvement work, community, events, published measures and storyboards; the demo's six
    logins."""
    from coiin.charts.summaries.services import rebuild
    from coiin.demo.community import load_community_demo
    from coiin.demo.events import load_events_demo
    from coiin.demo.improvement import load_improvement_demo
    from coiin.demo.measures import load_demo_data
    from coiin.demo.network import DemoLoader, choose_networks, load_reference
    from coiin.demo.phases import load_demo_phases
    from coiin.demo.publication import publish_demo
    from coiin.demo.rare_events import load_demo_rare_events
    from coiin.demo.sites import load_site_demo
    from coiin.demo.storyboards import load_storyboard_demo
    from coiin.demo.vitals import load_vitals_demo
    from coiin.measures.catalog import load_catalog

    def quiet(_: str) -> None:
        pass

    loader = DemoLoader(quiet)
    jurisdictions, networks = load_reference()
    load_catalog()
    national = loader.national_organisations()
    loader.backbone_and_funder(national)
    loader.faculty(networks, national)
    spread = choose_networks(sorted(jurisdictions))
    peer = next(c for c in sorted(spread) if c != "GA" and "safe-sleep" in spread[c])
    for code in ("GA", peer):
        loader.jurisdiction_teams(jurisdictions[code], [networks[s] for s in spread[code]])
    loader.demo_logins(jurisdictions, networks, national)
    for load in (load_demo_data, load_site_demo, load_improvement_demo, load_demo_phases,
                 load_demo_rare_events, load_community_demo, load_events_demo,
                 load_vitals_demo, publish_demo, load_storyboard_demo):
        load(log=quiet)
    rebuild()
    _jobs_and_a_pairing()


def _jobs_and_a_pairing() -> None:
    """An import's and a report's progress pages, and a mentoring pairing, for the lead."""
    from coiin.community.mentoring.models import MentorPairing
    from coiin.demo.network import DEMO_LOGINS
    from coiin.measures.models import ImportJob, Measure
    from coiin.network.models import Team, User
    from coiin.reports.documents.models import ReportSnapshot
    from coiin.reports.jobs import services as jobs

    lead = User.objects.get(email=DEMO_LOGINS["lead"].email)
    safe_sleep = Team.objects.filter(learning_network__slug="safe-sleep")
    ga = safe_sleep.get(jurisdiction__postal_code="GA")
    peer = safe_sleep.exclude(pk=ga.pk).get()
    ImportJob.objects.create(user=lead, team=ga, filename="values.csv", stored_path="",
                             status="done", progress=100, total_rows=2, done_rows=2)
    month = Period.containing(timezone.localdate(), Frequency.MONTHLY).previous()
    jobs.request_report(kind=ReportSnapshot.Kind.TEAM, period=month, fmt="html", team=ga,
                        user=lead)
    MentorPairing.objects.create(mentor=peer, mentee=ga, measure=Measure.objects.get(
        code="SS-CRIB"), requested_by=lead, message="Could we learn from your crib audits?")


def _arguments() -> dict[str, dict[str, object]]:
    """The arguments of each route, from the demo network (Georgia Safe Sleep's)."""
    from coiin.community.events.models import EventDetail
    from coiin.community.mentoring.models import MentorPairing
    from coiin.community.models import Post, Space
    from coiin.community.resources.models import Resource
    from coiin.community.ta.models import TARequest
    from coiin.improvement.models import ChangeIdea, Event, PDSACycle
    from coiin.measures.models import ImportJob, Measure
    from coiin.network.models import Team
    from coiin.reports.jobs.models import ReportJob
    from coiin.storyboards.models import Storyboard
    from coiin.vitals.models import VitalRecordsRole

    team = Team.objects.select_related("jurisdiction", "learning_network").get(
        jurisdiction__postal_code="GA", learning_network__slug="safe-sleep")
    at = {"slug": "safe-sleep", "postal": "ga"}
    month = Period.containing(timezone.localdate(), Frequency.MONTHLY).previous()
    idea = ChangeIdea.objects.filter(learning_network=team.learning_network).first()
    cycle = PDSACycle.objects.filter(team=team).order_by("number").first()
    event = Event.objects.filter(learning_network=team.learning_network).first()
    community_event = EventDetail.objects.order_by("pk").first()
    storyboard = Storyboard.objects.filter(team=team).first() or Storyboard.objects.first()
    pairing = MentorPairing.objects.order_by("pk").first()
    import_job = ImportJob.objects.order_by("created_at").first()
    report_job = ReportJob.objects.order_by("created_at").first()
    office = VitalRecordsRole.objects.order_by("pk").first()
    values: dict[str, dict[str, object] | None] = {
        "jurisdiction": {"postal": "ga"}, "join_network": {"postal": "ga"},
        "learning_network": {"slug": "safe-sleep"}, "team": at, "invite": at,
        "measure": {"code": "SS-CRIB"}, "add_measure": {"slug": "safe-sleep"},
        "chart": {**at, "code": "SS-CRIB"},
        "event_log": {**at, "code": "SS-SRID"},
        "network_chart_settings": {"slug": "safe-sleep", "code": "SS-CRIB"},
        "enter_data": {**at, "label": month.label},
        "data_history": {**at, "label": month.label},
        "vitals:enter": {"code": office.jurisdiction.postal_code if office else "GA"},
        "equity_jurisdiction": {"postal": "ga"},
        "public:measure": {"code": "IMR"}, "public:jurisdiction": {"postal": "ga"},
        "improvement:idea": {"slug": "safe-sleep", "pk": idea.pk} if idea else None,
        "improvement:idea_edit": {"slug": "safe-sleep", "pk": idea.pk} if idea else None,
        "improvement:event": {"slug": "safe-sleep", "pk": event.pk} if event else None,
        "improvement:cycle": {**at, "number": cycle.number} if cycle else None,
        "improvement:cycle_edit": {**at, "number": cycle.number} if cycle else None,
        "community:space": {"pk": Space.objects.order_by("pk").values_list(
            "pk", flat=True).first()},
        "community:post": {"pk": Post.objects.order_by("pk").values_list(
            "pk", flat=True).first()},
        "community:resource": {"pk": Resource.objects.order_by("pk").values_list(
            "pk", flat=True).first()},
        "community:resource_version": {"pk": Resource.objects.order_by("pk").values_list(
            "pk", flat=True).first()},
        "community:ta_request": {"pk": TARequest.objects.order_by("pk").values_list(
            "pk", flat=True).first()},
        "community:event": {"pk": community_event.event_id} if community_event else None,
        "community:event_edit": {"pk": community_event.event_id} if community_event else None,
        "community:mentor_suggestions": {"team": team.pk},
        "community:pairing": {"pk": pairing.pk} if pairing else None,
        "storyboards:detail": {**at, "pk": storyboard.pk} if storyboard else None,
        "storyboards:edit": {**at, "pk": storyboard.pk} if storyboard else None,
        "storyboards:public_detail": {"pk": storyboard.pk} if storyboard else None,
        "public:network": {"slug": "safe-sleep"},
        "import_job": {"job_id": import_job.pk} if import_job else None,
        "report_job": {"job_id": report_job.pk} if report_job else None,
    }
    assert Measure.objects.filter(code="SS-CRIB").exists()
    return {k: v for k, v in values.items() if v is not None}


def page_list() -> tuple[list[tuple[str, str]], list[str]]:
    """([(route name, path)], [routes with arguments this test cannot fill])."""
    filled = _arguments()
    pages, unfilled = [], []
    for name, route, params in _routes():
        if name in NOT_PAGES or (route.startswith(NOT_PREFIXES) and name not in ACCOUNT_PAGES):
            continue
        defaults = {"slug": "safe-sleep", "postal": "ga"}
        kwargs = filled.get(name) or {p: defaults[p] for p in params if p in defaults}
        if set(params) - set(kwargs):
            unfilled.append(name)
            continue
        pages.append((name, reverse(name, kwargs=kwargs)))
    return sorted(set(pages), key=lambda p: p[1]), unfilled


def reachable(client: Client, path: str) -> str | None:
    """The page's HTML if this role may open it (not refused, missing, or sign-in)."""
    response = client.get(path)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return None
    return response.content.decode()


@pytest.fixture(scope="module")
def demo_network(django_db_setup, django_db_blocker):
    """The demo network, loaded once for the module's tests and committed, so a live server's
    thread sees it too. A test using ``transactional_db`` (a live server) empties the database
    when it ends: such a test comes last in its module (``ensure_demo_network`` loads the
    network again if it does not). Emptied at the end of the module whatever ran."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        load_network()
        yield
        call_command("flush", interactive=False, verbosity=0)


def ensure_demo_network() -> None:
    """Load the network again if a test before emptied the database."""
    from coiin.demo.network import DEMO_LOGINS
    from coiin.network.models import User

    if not User.objects.filter(email=DEMO_LOGINS["lead"].email).exists():
        load_network()
