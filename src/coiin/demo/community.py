"""Synthetic community content for the demo network: idempotent, deterministic, fast.

Call after ``coiin.demo.network.load_demo`` (it needs the demo people). Every generated
post says "(synthetic demo)" in its text. Running it again adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from coiin.community import services
from coiin.community.models import Post, Space
from coiin.community.notifications import services as notifications
from coiin.community.resources import services as resources
from coiin.community.resources.models import Resource
from coiin.community.ta import services as ta
from coiin.community.ta.models import TARequest
from coiin.community.uploads import check_upload
from coiin.network.models import LearningNetwork, Team, TeamMembership, User

from .network import DEMO_LOGINS, DEMO_TEAM

MARK = "_(synthetic demo)_"

# (kind, title, body, comment, answered) per learning network, by slug.
NETWORK_POSTS: dict[str, list[tuple[str, str, str, str, bool]]] = {
    "safe-sleep": [
        ("question", "How often do you run crib audits on night shifts?",
         "Our day-shift audits look good; nights are patchy. How do others schedule them?",
         "We audit one night a week per unit and rotate the auditor.", True),
        ("win", "Sleep-sack giveaway doubled safe-sleep conversations",
         "Pairing the giveaway with a two-minute script made nurses start the conversation.",
         "Could you share the script in the resource library?", False),
        ("idea", "Safe-sleep modelling in photos on the maternity ward",
         "Check that every photo and poster on the ward shows a baby on its back, alone, in "
         "a crib.", "We found three posters that did not; easy fix.", False),
    ],
    "smoking-cessation": [
        ("question", "Who asks about smoking at the postpartum visit?",
         "Is it the nurse or the provider in your clinics, and is it documented?",
         "The nurse asks and documents; the provider advises.", True),
        ("win", "Quitline e-referrals up from 12 to 41 a month",
         "Switching from fax to e-referral in the EHR made the difference.",
         "Which EHR vendor did you use?", False),
        ("idea", "Text-message support for partners who smoke",
         "Offer the partner enrolment at the same visit.", "We are testing this next month.",
         False),
    ],
    "preconception": [
        ("question", "Postpartum visit within 6 weeks: what counts?",
         "Do you count telehealth visits towards the measure?",
         "Yes, if the visit covers the ACOG components.", True),
        ("idea", "Reproductive life plan prompts in WIC visits",
         "A one-question prompt at WIC certification.", "Nice low-effort change.", False),
        ("win", "Medicaid extended postpartum coverage explained in one page",
         "A plain-language one-pager helped clinic staff answer questions.",
         "Please add it to the library.", False),
    ],
    "social-determinants": [
        ("question", "Measuring stratified rates with small numbers?",
         "Our counties have small denominators by race/ethnicity; how do you show them?",
         "Pool three years and show the funnel plot.", True),
        ("idea", "Community health workers at prenatal intake",
         "CHWs screen for housing and food needs at the first visit.",
         "We have a CHW programme you could visit.", False),
        ("win", "Transport vouchers cut missed prenatal visits",
         "Missed visits fell from 18% to 11% in the pilot clinic.", "Great result!", False),
    ],
    "preterm-birth": [
        ("question", "17P access: who prescribes in your state?",
         "We see delays between eligibility and first injection.",
         "A standing order via the health department cut our delay to 5 days.", True),
        ("win", "Early elective deliveries below 2% in every hospital",
         "Hard stop policy plus monthly feedback to each hospital.", "Congratulations!",
         False),
        ("idea", "Cervical length screening reminders",
         "EHR reminder at the 18–24 week visit.", "We tried it; reminders alone were not "
         "enough without a workflow owner.", False),
    ],
    "risk-appropriate-care": [
        ("question", "Levels of care: how did you verify hospital self-reports?",
         "Site visits are expensive; any lighter approaches?",
         "A structured phone interview plus document review worked for us.", True),
        ("idea", "Maternal transport agreements dashboard",
         "One page per region showing agreements and their renewal dates.",
         "Good way to spot expired agreements.", False),
        ("win", "VLBW births at level III+ hospitals up to 86%",
         "Regional transfer agreements and a 24/7 consult line.", "Impressive.", False),
    ],
}

WIDE_POSTS = [
    ("resource", "Welcome to the CoIIN community",
     "Ask questions, share wins and find resources. Mention someone with @first.last.",
     "Thanks, looking forward to learning from everyone."),
    ("question", "Tips for presenting run charts to hospital leadership?",
     "What helped your leaders read run charts the first time?",
     "Annotate the changes on the chart itself."),
    ("win", "Learning session slides are in the library",
     "All plenary slides from the last learning session are now in the resource library.",
     "Very helpful."),
]

TEAM_POSTS = [
    ("idea", "Next PDSA: audit tool on tablets",
     "Test the tablet audit tool with two nurses for one week."),
    ("question", "Who updates the data before the 30th?",
     "Let us agree who enters this month's data."),
]


def _person(key: str) -> User | None:
    return User.objects.filter(email=DEMO_LOGINS[key].email).first()


def _text(body: str) -> str:
    return f"{body}\n\n{MARK}"


def load_community_demo(log: Callable[[str], None] = print,
                        now: dt.datetime | None = None) -> None:
    """Posts in every network space, the network-wide space and several team spaces,
    comments, answered questions, mentions, resources with versions, TA requests in every
    status, and the notifications these produce (no e-mail is sent)."""
    services.ensure_spaces()
    now = now or timezone.now()
    backbone = _person("backbone")
    if backbone is None:
        log("Community demo skipped: load the demo network first.")
        return
    created = 0
    with notifications.muted(), transaction.atomic():
        for index, network in enumerate(LearningNetwork.objects.order_by("position")):
            created += _network_posts(network, index, now)
        created += _wide_posts(backbone, now)
        created += _team_posts(now)
        _resources(backbone)
        _ta_requests(now)
    log(f"Community demo: {created} new posts; {Post.objects.count()} posts, "
        f"{Resource.objects.count()} resources, {TARequest.objects.count()} TA requests.")
    # Events and mentoring: times for whatever the improvement demo's calendar holds, office
    # hours, upcoming events, RSVPs; pairings where reported data shows bright spots. Call
    # ``load_events_demo`` again after the improvement demo to cover its events.
    from .events import load_events_demo

    load_events_demo(log=log, now=now)


def _faculty(network: LearningNetwork) -> User | None:
    return User.objects.filter(faculty_roles__learning_network=network).order_by("pk").first()


def _lead(team: Team) -> User | None:
    m = team.memberships.filter(role=TeamMembership.Role.LEAD).select_related("user").first()
    return m.user if m else None


def _exists(space: Space, title: str) -> bool:
    return Post.objects.filter(space=space, title=title).exists()


def _network_posts(network: LearningNetwork, index: int, now: dt.datetime) -> int:
    space = services.space_for(network)
    faculty = _faculty(network)
    teams = list(network.teams.select_related("jurisdiction").order_by("jurisdiction__name"))
    count = 0
    for i, (kind, title, body, reply, answered) in enumerate(NETWORK_POSTS.get(network.slug,
                                                                               [])):
        if _exists(space, title) or not teams or faculty is None:
            continue
        author = _lead(teams[(i + index) % len(teams)])
        if author is None:
            continue
        if kind == "question":
            body += f" @{sorted(services.handles_of(faculty))[0]} any advice?"
        when = now - dt.timedelta(days=2 + i * 3 + index, hours=index)
        post = services.create_post(author=author, spaces=[space], kind=kind, title=title,
                                    body=_text(body), created_at=when)
        comment = services.add_comment(post=post, author=faculty, body=_text(reply),
                                       created_at=when + dt.timedelta(hours=5))
        if answered:
            services.mark_answered(post=post, comment=comment, by=author)
        count += 1
    return count


def _wide_posts(backbone: User, now: dt.datetime) -> int:
    space = services.network_wide_space()
    commenter = _person("lead")
    count = 0
    for i, (kind, title, body, reply) in enumerate(WIDE_POSTS):
        if _exists(space, title):
            continue
        when = now - dt.timedelta(days=1 + i * 4)
        post = services.create_post(author=backbone, spaces=[space], kind=kind, title=title,
                                    body=_text(body), created_at=when)
        if i == 0:
            services.moderate(post=post, action="pin", by=backbone,
                              reason="Welcome post stays on top (synthetic demo)")
        if commenter:
            services.add_comment(post=post, author=commenter, body=_text(reply),
                                 created_at=when + dt.timedelta(hours=3))
        count += 1
    return count


def _team_posts(now: dt.datetime) -> int:
    code, slug = DEMO_TEAM
    teams = [t for t in Team.objects.select_related("jurisdiction", "learning_network")
             .filter(learning_network__slug=slug).order_by("jurisdiction__name")
             if t.jurisdiction.postal_code == code]
    teams += list(Team.objects.select_related("jurisdiction", "learning_network")
                  .exclude(pk__in=[t.pk for t in teams]).order_by("pk")[:3])
    data_lead, member = _person("data_lead"), _person("member")
    count = 0
    for t_index, team in enumerate(teams):
        space = services.space_for(team)
        author = _lead(team)
        for i, (kind, title, body) in enumerate(TEAM_POSTS):
            if _exists(space, title) or author is None:
                continue
            author_here = author
            if t_index == 0 and data_lead is not None and i == 1:
                author_here = data_lead
                if member is not None:
                    body += f" @{sorted(services.handles_of(member))[0]} can you cover it?"
            services.create_post(author=author_here, spaces=[space], kind=kind, title=title,
                                 body=_text(body),
                                 created_at=now - dt.timedelta(days=t_index + i, hours=2))
            count += 1
    return count


def _pdf(name: str, version: int):
    return check_upload(SimpleUploadedFile(
        name, f"%PDF-1.4\n% synthetic demo, version {version}\n".encode()))


def _resources(backbone: User) -> None:
    safe_sleep = LearningNetwork.objects.filter(slug="safe-sleep").first()
    faculty = _faculty(safe_sleep) if safe_sleep else None
    by = faculty or backbone
    if not Resource.objects.filter(title="Crib audit tool (synthetic demo)").exists():
        r = resources.add_resource(by=by, title="Crib audit tool (synthetic demo)",
                                   description="A one-page crib audit form.",
                                   file=_pdf("crib-audit.pdf", 1), network=safe_sleep)
        resources.add_version(resource=r, by=by, file=_pdf("crib-audit-v2.pdf", 2),
                              note="Adds a sleep-sack item")
        space = services.space_for(safe_sleep) if safe_sleep else services.network_wide_space()
        services.create_post(author=by, spaces=[space], kind="resource",
                             title="New version of the crib audit tool", resource=r,
                             body=_text("Version 2 adds an item on sleep sacks."))
    if not Resource.objects.filter(title="Run chart rules explained (synthetic demo)").exists():
        resources.add_resource(by=backbone, title="Run chart rules explained (synthetic demo)",
                               description="Shifts, trends, runs and astronomical points.",
                               file=_pdf("run-chart-rules.pdf", 1))
    if not Resource.objects.filter(title="IHI Model for Improvement").exists():
        resources.add_resource(by=backbone, title="IHI Model for Improvement",
                               url="https://www.ihi.org/resources/how-improve-model-"
                                   "improvement", description="The three questions and PDSA.")


def _ta_requests(now: dt.datetime) -> None:
    code, slug = DEMO_TEAM
    team = Team.objects.filter(jurisdiction__postal_code=code,
                               learning_network__slug=slug).first()
    requester = _person("data_lead")
    if team is None or requester is None:
        return
    plans = [
        ("Which baseline for our crib-audit chart? (synthetic demo)", "resolved", 9),
        ("Reading a shift on the p chart (synthetic demo)", "waiting", 5),
        ("Adding a second hospital as a reporting unit (synthetic demo)", "assigned", 2),
        ("Stratifying safe-sleep data by payer (synthetic demo)", "new", 0),
    ]
    for topic, status, days in plans:
        if TARequest.objects.filter(team=team, topic=topic).exists():
            continue
        start = now - dt.timedelta(days=days, hours=3)
        req = ta.open_request(team=team, by=requester, topic=topic,
                              description="We would like help with this. _(synthetic demo)_",
                              now=start)
        if status == "new":
            backbone = _person("backbone")
            if backbone is not None:
                ta.unassign(request=req, by=backbone)
            continue
        if req.owner is None:
            continue
        ta.reply(request=req, by=req.owner, now=start + dt.timedelta(hours=6),
                 body="Happy to help; can you share the chart? _(synthetic demo)_")
        if status in {"waiting", "resolved"}:
            ta.set_status(request=req, by=req.owner, status="waiting",
                          now=start + dt.timedelta(hours=6))
        if status == "resolved":
            ta.reply(request=req, by=requester, now=start + dt.timedelta(days=1),
                     body="Here it is. _(synthetic demo)_")
            ta.set_status(request=req, by=req.owner, status="resolved",
                          now=start + dt.timedelta(days=2))
            ta.rate(request=req, by=requester, rating=5, comment="Clear and quick.")
