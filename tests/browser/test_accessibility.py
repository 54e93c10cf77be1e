"""Every page each role can reach passes axe-core's WCAG 2.x A and AA rules in Chromium.

The pages come from the URL configuration: every named route is either visited (its
arguments filled from a small demo network) or listed in NOT_PAGES with the reason, so a new
page cannot be missed silently. Each of the six demo roles and an anonymous visitor opens every
route; a route the role may not open (403, 404, 405, a redirect to sign in) is not theirs. On
top: forms in their error state and the HTML reports. Any violation of impact serious or
critical fails the test, naming the rule, the role, the page and the element.

axe-core is vendored (tests/browser/vendor/README.md) and injected into each page; it is never
served by the application."""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from coiin.measures.periods import Frequency, Period

pytestmark = pytest.mark.template_only

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}

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




@dataclass
class Finding:
    role: str
    page: str
    rule: str
    impact: str
    help: str
    targets: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        where = "; ".join(self.targets[:4]) + (" …" if len(self.targets) > 4 else "")
        return f"[{self.impact}] {self.rule} ({self.help}) as {self.role} on {self.page}: {where}"


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


# axe starts after this call returns (setTimeout), so it runs in the tab's renderer while
# this process fetches and opens the next page in the other tab.
AXE_START = """(tags) => {
  window.__axe = new Promise(resolve => setTimeout(resolve, 0)).then(() => axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"], preload: false,
    performanceTimer: false, xpath: false, ancestry: false, iframes: false,
  })).then(result => result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(" ") + " " + n.html.slice(0, 120))})));
}"""
MAIN = re.compile(r"<main\b.*?</main>", re.DOTALL)
VOLATILE = re.compile(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"')


class Auditor:
    """Runs axe on a page unless the same content was audited already: a page whose <main>
    is identical (but for its CSRF token) to one audited for any role gives the same result,
    so it is fetched but not opened again; each role's first page is audited whole, so its
    header and footer are too."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.findings: list[Finding] = []
        self.audited = 0
        self.running: dict[object, tuple[str, str]] = {}

    @staticmethod
    def key(html: str) -> str:
        main = MAIN.search(html)
        return hashlib.sha256(VOLATILE.sub("", main.group(0) if main else html).encode()
                              ).hexdigest()

    def is_new(self, html: str) -> bool:
        return self.key(html) not in self.seen

    def start(self, page, role: str, label: str, html: str | None = None) -> None:
        """Start axe on the page and return at once: it runs in the page's own renderer
        while the next page loads in another tab (finish() collects it)."""
        charts = page.locator(".vega-chart")
        if charts.count():  # the charts draw after the page loads
            charts.first.locator("svg, canvas").first.wait_for(timeout=5_000)
        self.seen.add(self.key(html if html is not None else page.content()))
        self.audited += 1
        if not page.evaluate("() => typeof axe !== 'undefined'"):  # set_content's pages
            page.add_script_tag(path=str(AXE))
        page.evaluate(AXE_START, WCAG_TAGS)
        self.running[page] = (role, label)

    def finish(self, page) -> None:
        if page not in self.running:
            return
        role, label = self.running.pop(page)
        self.findings += [Finding(role, label, v["id"], v["impact"], v["help"], v["targets"])
                          for v in page.evaluate("() => window.__axe")
                          if v["impact"] in FAILING_IMPACTS]

    def __call__(self, page, role: str, label: str, html: str | None = None) -> None:
        self.start(page, role, label, html)
        self.finish(page)


def signed_in_context(chromium, base: str, client: Client):
    """A browser context with the client's session (none for an anonymous visitor)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.add_init_script(path=str(AXE))  # only the pages to audit are opened
    if "sessionid" in client.cookies:
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                              "url": base}])
    return context


def reachable(client: Client, path: str) -> str | None:
    """The page's HTML if this role may open it (not refused, missing, or sign-in)."""
    response = client.get(path)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return None
    return response.content.decode()


def visit(page, base: str, path: str) -> bool:
    """Open the page; False if it is not this role's (refused, missing, or sign-in)."""
    from playwright.sync_api import Error

    try:
        response = page.goto(base + path, wait_until="load")
    except Error:  # an error answered without a body (405 to a GET, for one)
        return False
    if response is None or response.status != 200:
        return False
    if not response.headers.get("content-type", "").startswith("text/html"):
        return False
    return "/accounts/login/" not in page.url or path.startswith("/accounts/login/")


def submit_empty(page) -> None:
    """Send the page's main form with its fields as they are, the browser's own checks off,
    so the server answers with the form in its error state."""
    form = page.locator("main form[method=post]:has(textarea, input[type=text], "
                        "input[type=email], input[type=number], select)").first
    form.evaluate("f => { f.noValidate = true; }")
    form.locator("button[type=submit], input[type=submit], button:not([type])").last.click()
    page.wait_for_load_state("load")


def enter_too_many(page) -> None:
    page.get_by_label("SS-CRIB numerator").fill("46")
    page.get_by_label("SS-CRIB denominator").fill("40")
    page.get_by_role("button", name="Save and submit").click()
    page.locator(".error-summary").wait_for()


def wrong_password(page) -> None:
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign In").click()
    page.locator("main .errorlist, main [role=alert], main .error").first.wait_for()


# Forms in their error state: (role, route, how to get the error).
ERROR_STATES = [
    ("anonymous", "account_login", wrong_password),
    ("datalead", "enter_data", enter_too_many),
    ("lead", "improvement:cycle_new", submit_empty),
    ("lead", "invite", submit_empty),
    ("lead", "storyboards:new", submit_empty),
    ("faculty", "community:event_new", submit_empty),
    ("member", "community:ta", submit_empty),
]


def html_reports(user) -> list[tuple[str, str]]:
    """(label, HTML) of the team's, the network's and the national HTML reports."""
    from coiin.network.models import LearningNetwork, Team
    from coiin.reports.documents import snapshots

    month = Period.containing(timezone.localdate(), Frequency.MONTHLY).previous()
    team = Team.objects.get(jurisdiction__postal_code="GA", learning_network__slug="safe-sleep")
    network = LearningNetwork.objects.get(slug="safe-sleep")
    made = [("team report", snapshots.make_team_report(team=team, period=month, fmt="html",
                                                       user=user)[1]),
            ("network report", snapshots.make_network_report(
                network=network, period=month, fmt="html", user=user)[1]),
            ("national report", snapshots.make_national_report(period=month, fmt="html",
                                                               user=user)[1])]
    return [(label, data.decode()) for label, data in made]


def test_every_page_for_every_role_has_no_serious_violation(chromium, live_server,
                                                           transactional_db, settings):
    from coiin.demo.network import DEMO_LOGINS
    from coiin.network.models import User

    # An anonymous visitor is sent to the sign-in page from most pages: more often in a
    # minute than allauth lets one address ask for it.
    settings.ACCOUNT_RATE_LIMITS = False
    started = time.monotonic()
    load_network()
    pages, unfilled = page_list()
    assert not unfilled, (f"routes with arguments this test cannot fill: {unfilled}; give "
                          "them arguments in _arguments() or a reason in NOT_PAGES")
    base = live_server.url
    audit = Auditor()
    reached: dict[str, list[str]] = {}
    spent = dict.fromkeys(("fetch", "open", "start", "wait"), 0.0)
    loaded = time.monotonic()
    for role, key in ROLES.items():
        user = User.objects.get(email=DEMO_LOGINS[key].email) if key else None
        client = Client()
        if user is not None:
            client.force_login(user)
        context = signed_in_context(chromium, base, client)
        # Two tabs, in turn: axe runs in one while the next page loads in the other.
        tabs = [context.new_page(), context.new_page()]
        for tab in tabs:
            tab.set_default_timeout(10_000)
        page = tabs[0]
        reached[role] = []
        for _name, path in pages:
            t0 = time.monotonic()
            html = reachable(client, path)
            spent["fetch"] += time.monotonic() - t0
            if html is None:
                continue
            if audit.is_new(html) or not reached[role]:
                t0 = time.monotonic()
                audit.finish(page)
                t1 = time.monotonic()
                if visit(page, base, path):
                    t2 = time.monotonic()
                    audit.start(page, role, path, html)
                    spent["start"] += time.monotonic() - t2
                spent["wait"] += t1 - t0
                spent["open"] += time.monotonic() - t1
                page = tabs[1] if page is tabs[0] else tabs[0]
            reached[role].append(path)
        for tab in tabs:
            audit.finish(tab)
        for who, name, make_error in ERROR_STATES:
            if who == role:
                path = dict(pages).get(name) or reverse(name)
                assert visit(page, base, path), f"{role} cannot open {path}"
                make_error(page)
                audit(page, role, f"{path} (form with errors)")
        if role == "backbone":
            for label, html in html_reports(user):
                page.set_content(html)
                audit(page, role, label)
        context.close()
    print(f"network loaded in {loaded - started:.1f} s; pages per role "
          f"{ {r: len(p) for r, p in reached.items()} }; {audit.audited} audited in "
          f"{time.monotonic() - loaded:.1f} s; seconds {({k: round(v) for k, v in spent.items()})}")
    assert len(reached["anonymous"]) >= 10, reached["anonymous"]
    assert all(len(p) >= 50 for r, p in reached.items() if r != "anonymous"), reached
    assert not audit.findings, (
        f"{len(audit.findings)} serious or critical violations:\n"
        + "\n".join(str(f) for f in audit.findings))
