"""Synthetic demo improvement work: aims, driver diagrams, change packages, adoptions with
status histories, PDSA ramps, monthly progress scores and the collaborative calendar.

The change packages (``content.py``) are real strategies with public sources. All the
rest is SYNTHETIC: which team adopted which idea and when, every PDSA cycle, score, note,
event and attendance record. Generated text ends with ``(synthetic demo)``.

It tells the story of the synthetic reporting data (``series.story``, shared with
``coiin.demo.measures``): in each network one idea really works (``series.WORKS``). Every
improving team adopts it at a month of its own, with a ramp of PDSA cycles naming the
measures it should move, and its data move from then on those measures only; its
progress scores rise. Other ideas (``series.NULLS``) are adopted by teams whose data do
not move, a few of them by improving teams too, later; a couple of teams give up. So the
network's estimates find the ideas that work and no others, while each team's own chart
after adoption still credits some ideas that change nothing: an improving team's second
idea, with the measure its first one moved, and ideas on measures every team drifts on
(policies in place only accumulate; early elective deliveries follow the national fall).

Faculty chose the primary measure of ideas the diagram links to several (``CHOSEN``) but
one, left to choose in the demo; one adoption was typed months after its date and awaits
their confirmation (``LATE_MONTHS``).

Idempotent and deterministic: each part is made only where it is missing (a network with
no change package, a team with no adoptions, a month with no score …), from per-team
seeded random streams, so a second run adds nothing and nothing typed by hand changes.
Precondition: the demo network and its reporting data are loaded.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from coiin.improvement import evidence, services
from coiin.improvement.models import (
    SCALE,
    Adoption,
    AdoptionStatus,
    Aim,
    Attendance,
    ChangeIdea,
    Driver,
    Event,
    PDSACycle,
    ProgressScore,
    Ramp,
)
from coiin.measures.models import Measure, TeamMeasure
from coiin.network.models import LearningNetwork, Team, TeamMembership, User

from .content import GOAL_DUE, PACKAGES, Package, spanish_titles
from .measures import DEMO_TEAM, trajectories
from .series import ADOPT_AFTER, FIRST_MONTH, NULLS, idea_measures, story

NOTE = "(synthetic demo)"
SEED = 20150301
LAST_DAY = dt.date(2017, 12, 31)
SCORES_FROM = dt.date(2014, 1, 1)
# Monthly measures a team's own aim is about, where it reports one.
MOVERS = {"SS-CRIB", "SS-EDU", "SC-SCREEN", "SC-REFER", "SC-QUITLINE", "SD-SCREEN", "PT-EED",
          "PT-17P", "RA-ANTENATAL"}
SHORT = {  # a short name for each idea, for PDSA cycle titles (they label the charts)
    "policy": "Crib audit", "training": "Nurse training", "discharge": "Teach-back",
    "home-visiting": "Home-visit checklist", "cribs": "Crib distribution",
    "five-as": "5 A's prompt", "fax-referral": "Quitline fax referral",
    "medicaid-coverage": "Coverage notice", "postpartum": "Infant-visit screening",
    "incentives": "Quit vouchers", "co-monitoring": "CO monitoring",
    "larc": "Immediate LARC", "well-woman": "Well-woman reminders",
    "home-visiting-icc": "Interconception visits", "reproductive-plan": "One Key Question",
    "postpartum-visit": "Postpartum booking", "screening": "Social needs screen",
    "chw": "CHW outreach", "housing": "Housing referrals", "bias": "Bias training",
    "home-visiting-sd": "Home visiting referral", "eitc": "EITC outreach",
    "centering": "Group prenatal care", "hard-stop": "39-week hard stop",
    "scheduling": "Scheduling form", "payment-policy": "Payment policy",
    "identify-17p": "17P case finding", "prior-auth": "17P prior-auth waiver",
    "designation": "Level designation", "locate": "LOCATe survey",
    "transfer": "Transfer protocol", "outreach": "Outreach tele-consults",
    "feedback": "VLBW feedback report",
}
# Ideas the driver diagram also hangs from a second driver (idea → that secondary driver),
# so their primary measure is faculty's choice; and the choices faculty made.
ALSO_UNDER = {"training": "Every family learns safe sleep before discharge",
              "incentives": "Relapse is prevented after delivery",
              "feedback": "Hospitals are designated by level of neonatal and maternal care"}
CHOSEN = {"incentives": "SC-QUITLINE", "feedback": "RA-LEVELS"}  # training: left to the
# demo's faculty login (Safe Sleep), like the one back-dated adoption they can confirm.
LATE_MONTHS = 4  # the one back-dated adoption was typed this many months after its date
RAMP_STEPS = [("one site, two weeks", 14, "adapt"), ("two sites, all shifts", 30, "adapt"),
              ("every site", 45, "adopt")]


def _months(day: dt.date, n: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


class Loader:
    def __init__(self, log: Callable[[str], None], late: bool = True):
        self.log = log
        self.counts: dict[str, int] = defaultdict(int)
        self.late = late  # the back-dated adoption is still to be made

    # -- networks ----------------------------------------------------------------------

    def package(self, network: LearningNetwork, pkg: Package, measures: dict[str, Measure],
                backbone: User | None) -> dict[str, ChangeIdea]:
        ideas = {}
        for position, idea in enumerate(pkg.ideas, start=1):
            ideas[idea.key], created = ChangeIdea.objects.get_or_create(
                learning_network=network, title=idea.title, defaults={
                    "description": idea.description, "evidence": idea.evidence,
                    "resources": idea.resources, "position": position, "updated_by": backbone,
                    "title_es": spanish_titles().get((network.slug, idea.key))})
            self.counts["change ideas"] += created
        if not Aim.objects.filter(learning_network=network).exists():
            services.save_aim(owner=network, what=pkg.aim_what, how_much=pkg.aim_how_much,
                              by_when=GOAL_DUE, user=backbone,
                              measures=[measures[c] for c in pkg.aim_measures if c in measures])
            self.counts["aims"] += 1
        diagram = services.diagram_for(network)
        if diagram.aim_id is None:
            services.set_diagram_aim(diagram=diagram,
                                     aim=Aim.objects.filter(learning_network=network).first())
        if not Driver.objects.filter(diagram=diagram).exists():
            self.counts["driver boxes"] += self.draw(diagram, pkg, measures, ideas)
        return ideas

    def draw(self, diagram, pkg: Package, measures: dict[str, Measure],
             ideas: dict[str, ChangeIdea], only: set[str] | None = None) -> int:
        made = 0
        for primary in pkg.drivers:
            p = services.add_node(diagram=diagram, kind=Driver.Kind.PRIMARY, text=primary.text,
                                  measure=measures.get(primary.measure or ""))
            made += 1
            for secondary in primary.secondaries:
                s = services.add_node(diagram=diagram, kind=Driver.Kind.SECONDARY,
                                      text=secondary.text, parent=p,
                                      measure=measures.get(secondary.measure or ""))
                made += 1
                extra = [k for k, text in ALSO_UNDER.items() if text == secondary.text
                         and k in ideas]
                for key in [*secondary.ideas, *extra]:
                    if only is None or key in only:
                        services.add_node(diagram=diagram, kind=Driver.Kind.CHANGE, text="",
                                          parent=s, change_idea=ideas[key])
                        made += 1
        return made

    # -- teams -------------------------------------------------------------------------

    def team_work(self, team: Team, path: str, pkg: Package, ideas: dict[str, ChangeIdea],
                  reported: set[str], measures: dict[str, Measure], people: list[User],
                  out: dict[str, list]) -> None:
        postal, slug = team.jurisdiction.postal_code, team.learning_network.slug
        rng = random.Random(f"{SEED}|{postal}|{slug}")  # noqa: S311
        start, linked = max(FIRST_MONTH, team.joined_on.replace(day=1)), idea_measures(pkg)
        nulls = [k for k in NULLS.get(slug, ()) if k in ideas]
        first = ADOPT_AFTER.get(slug, 11)  # the earliest month with a year of baseline
        who = people[0] if people else None
        plans: list[tuple[str, dt.date, list[tuple[int, str]], int, str]] = []
        # (idea key, adoption day, later statuses (month offset, status), cycles, outcome)
        told = story(postal, slug, path)
        if path == "improving" and told.idea in ideas:
            month = told.adopt_month
            plans.append((told.idea, _months(start, month) + dt.timedelta(days=4),
                          [(5, "implementing"), (14, "spreading"), (26, "sustained")], 3,
                          "better"))
            if nulls and rng.random() < 0.5:  # a second idea, later, that changes nothing
                plans.append((rng.choice(nulls), _months(start, month + rng.randrange(3, 10))
                              + dt.timedelta(days=9), [(6, "implementing")], 2, "same"))
        elif path == "worsening" and nulls:
            plans.append((rng.choice(nulls), _months(start, 14) + dt.timedelta(days=6),
                          [(7, "abandoned")], 2, "worse"))
        elif nulls:
            for key in rng.sample(nulls, k=min(1 + (rng.random() < 0.4), len(nulls))):
                later = [(6, "implementing")] if rng.random() < 0.6 else [(5, "abandoned")]
                plans.append((key, _months(start, first + rng.randrange(1, 20))
                              + dt.timedelta(days=rng.randrange(1, 20)), later,
                              rng.choice([2, 3]), "same"))
        if path != "improving" and rng.random() < 0.3:  # an idea still being considered
            left = [k for k in ideas if k not in {p[0] for p in plans}]
            if left:
                out["considering"].append((team, ideas[rng.choice(left)],
                                           _months(start, 20), who))
        number = 0
        for key, adopted, later, n_cycles, outcome in plans:
            idea = ideas[key]
            events = [(adopted - dt.timedelta(days=75), "considering",
                       f"Discussed at a learning session {NOTE}"),
                      (adopted, "testing", f"First PDSA cycle begins {NOTE}")]
            events += [(_months(adopted, m) + dt.timedelta(days=2), status,
                        f"Team decision at monthly meeting {NOTE}") for m, status in later]
            events = [e for e in events if e[0] <= LAST_DAY]
            typed = None
            if self.late and outcome == "same" and slug == DEMO_TEAM[1]:  # typed late
                typed, self.late = _months(adopted, LATE_MONTHS), False
            out["adoptions"].append((team, idea, events, who, typed))
            named = [measures[c] for c in sorted(linked[key] & reported) if c in measures]
            ramp_title = f"{SHORT[key]}: from one site to all {NOTE}"
            cycles = []
            day = adopted
            for step, (scope, length, decision) in enumerate(RAMP_STEPS[:n_cycles]):
                if day > LAST_DAY - dt.timedelta(days=length):
                    break
                number += 1
                last = step == n_cycles - 1
                if outcome != "better" and last:
                    decision = "abandon" if outcome == "worse" or rng.random() < 0.4 \
                        else "adapt"
                cycles.append(_cycle(team, idea, number, SHORT[key], scope, day, length,
                                     decision, outcome, who))
                day = day + dt.timedelta(days=length + rng.randrange(3, 12))
            out["ramps"].append((Ramp(team=team, change_idea=idea, title=ramp_title),
                                 cycles, named))
        self.scores(team, path, start, plans, people, rng, out)

    def scores(self, team: Team, path: str, start: dt.date, plans: list, people: list[User],
               rng: random.Random, out: dict[str, list]) -> None:
        adopted = plans[0][1] if plans else None
        month = max(SCORES_FROM, start)
        coach = people[-1] if people else None
        while month <= LAST_DAY:
            since = None if adopted is None or month < adopted.replace(day=1) else (
                (month.year - adopted.year) * 12 + month.month - adopted.month)
            score = _score(path, since, (month.year - start.year) * 12 + month.month
                           - start.month)
            if score > Decimal("0.5") and rng.random() < 0.08:
                score -= Decimal("0.5")
            out["scores"].append(ProgressScore(
                team=team, month=month, rater=ProgressScore.Rater.TEAM, score=score,
                note=f"{SCALE[score]} {NOTE}", recorded_by=people[0] if people else None))
            if month.month % 3 == 0:
                coached = max(Decimal("0.5"), score - rng.choice([Decimal(0), Decimal("0.5")]))
                out["scores"].append(ProgressScore(
                    team=team, month=month, rater=ProgressScore.Rater.COACH, score=coached,
                    note=f"Coach's rating: {SCALE[coached].lower()} {NOTE}",
                    recorded_by=coach))
            month = _months(month, 1)

    # -- calendar ----------------------------------------------------------------------

    def calendar(self, network: LearningNetwork, ideas: list[ChangeIdea],
                 teams: list[Team], out: dict[str, list]) -> None:
        offset = network.position
        events: list[Event] = []
        sessions = [dt.date(y, m, 8 + offset) for y in range(2014, 2018) for m in (3, 9)]
        for n, day in enumerate(sessions, start=1):
            events.append(Event(learning_network=network, kind=Event.Kind.PREWORK_DUE,
                                title=f"Pre-work due for learning session {n}",
                                starts=day - dt.timedelta(days=21),
                                description=f"Storyboard of the team's aim, measures and "
                                f"PDSA cycles since the last session {NOTE}"))
            events.append(Event(learning_network=network, kind=Event.Kind.LEARNING_SESSION,
                                title=f"Learning session {n}", starts=day,
                                ends=day + dt.timedelta(days=1),
                                description=f"Two days of storyboards, faculty talks and "
                                f"team planning for the next action period {NOTE}"))
            following = sessions[n] if n < len(sessions) else dt.date(2017, 12, 31)
            events.append(Event(learning_network=network, kind=Event.Kind.ACTION_PERIOD,
                                title=f"Action period {n}", starts=day + dt.timedelta(days=2),
                                ends=following - dt.timedelta(days=1),
                                description=f"Teams test changes and report monthly {NOTE}"))
        for i, month in enumerate(m for y in range(2014, 2018) for m in (1, 5, 7, 11)):
            year = 2014 + i // 4
            idea = ideas[i % len(ideas)] if ideas else None
            topic = idea.title if idea else "Using run charts"
            events.append(Event(learning_network=network, kind=Event.Kind.WEBINAR,
                                title=f"Webinar: {topic}",
                                starts=dt.date(year, month, 14 + offset),
                                description=f"Faculty and a team that tested it share what "
                                f"they learned {NOTE}"))
        have = set(Event.objects.filter(learning_network=network).values_list("title",
                                                                              "starts"))
        fresh = [e for e in events if (e.title, e.starts) not in have]
        Event.objects.bulk_create(fresh)
        self.counts["events"] += len(fresh)
        for event in fresh:
            if event.kind not in (Event.Kind.LEARNING_SESSION, Event.Kind.WEBINAR):
                continue
            rng = random.Random(f"{SEED}|{network.slug}|{event.title}|{event.starts}")  # noqa: S311
            p = 0.85 if event.kind == Event.Kind.LEARNING_SESSION else 0.6
            for team in teams:
                if team.joined_on > event.starts:
                    continue
                came = rng.random() < p
                out["attendance"].append(Attendance(
                    event=event, team=team, attended=came,
                    who=f"Team lead and data lead {NOTE}" if came else ""))

    # -- writing -----------------------------------------------------------------------

    def write(self, out: dict[str, list]) -> None:
        adoptions = []
        statuses = []
        for team, idea, events, who, typed in out["adoptions"]:
            adopted_on = services.adoption_date((on, s) for on, s, _n in events)
            # Recorded on the day, as a team keeping its log does, except the one typed
            # later: what was dated before it counts from the day typed (``evidence``).
            days = [max(on, typed or on) for on, _s, _n in events]
            adoptions.append(Adoption(
                team=team, change_idea=idea, status=events[-1][1], adopted_on=adopted_on,
                counts_from=evidence.counts_from(
                    (on, s, day, False) for (on, s, _n), day in zip(events, days,
                                                                    strict=True))))
            statuses.append([(on, s, note, who, day)
                             for (on, s, note), day in zip(events, days, strict=True)])
        for team, idea, day, who in out["considering"]:
            adoptions.append(Adoption(team=team, change_idea=idea, status="considering"))
            statuses.append([(day, "considering", f"Raised by the coach {NOTE}", who, day)])
        Adoption.objects.bulk_create(adoptions)
        AdoptionStatus.objects.bulk_create([
            AdoptionStatus(adoption=a, status=s, on=on, note=note, by=who,
                           recorded_at=_recorded(day))
            for a, rows in zip(adoptions, statuses, strict=True)
            for on, s, note, who, day in rows])
        ramps = [r for r, cycles, _m in out["ramps"] if cycles]
        Ramp.objects.bulk_create(ramps)
        cycles, links = [], []
        for ramp, ramp_cycles, named in out["ramps"]:
            for c in ramp_cycles:
                c.ramp = ramp
                cycles.append((c, named))
        PDSACycle.objects.bulk_create([c for c, _ in cycles])
        through = PDSACycle.measures.through
        links = [through(pdsacycle_id=c.pk, measure_id=m.pk) for c, named in cycles
                 for m in named]
        through.objects.bulk_create(links)
        have = set(ProgressScore.objects.values_list("team_id", "month", "rater"))
        scores = [s for s in out["scores"] if (s.team_id, s.month, s.rater) not in have]
        ProgressScore.objects.bulk_create(scores, batch_size=2000)
        Attendance.objects.bulk_create(out["attendance"], batch_size=2000)
        for key, rows in (("adoptions", adoptions), ("status records", statuses),
                          ("PDSA cycles", cycles), ("ramps", ramps), ("scores", scores),
                          ("attendance records", out["attendance"])):
            self.counts[key] += sum(len(r) for r in rows) if key == "status records" \
                else len(rows)


def _recorded(day: dt.date) -> dt.datetime:
    """Noon (the site's time zone) of the day a synthetic status was recorded."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _score(path: str, since: int | None, months_in: int) -> Decimal:
    """The team's self-rating for a month: rises slowly, faster once its change works."""
    if path == "improving" and since is not None:
        steps = [(0, "2.0"), (2, "2.5"), (4, "3.0"), (9, "3.5"), (15, "4.0"), (26, "4.5")]
        return Decimal(max(v for m, v in steps if since >= m))
    if since is not None:
        if path == "worsening":
            return Decimal("2.0") if since < 10 else Decimal("1.5")
        return Decimal("2.0") if since < 6 else Decimal("2.5")
    return Decimal("1.0") if months_in < 6 else Decimal("1.5")


_idea_measures = idea_measures  # the storyboards read it under this name


def _cycle(team: Team, idea: ChangeIdea, number: int, short: str, scope: str,
           day: dt.date, length: int, decision: str, outcome: str, who: User | None
           ) -> PDSACycle:
    site = f"{team.jurisdiction.name} pilot sites"
    learned = {
        "better": "Uptake was better than we predicted and the process measure moved in "
                  "the first weeks; staff asked to keep it.",
        "same": "Fewer staff used it than we predicted; the measure did not move yet. We "
                "need a simpler version and a champion on each shift.",
        "worse": "Staff turnover meant the change was not carried out as planned; the "
                 "measure did not move.",
    }[outcome]
    return PDSACycle(
        team=team, number=number, change_idea=idea, title=f"{short}: {scope}",
        objective=f"Test {short.lower()} ({idea.title.lower()}) on {scope} {NOTE}",
        questions=f"Can staff carry it out as designed? Does it change the process "
                  f"measure? {NOTE}",
        predictions=f"Most staff will use it within two weeks and the measure will improve "
                    f"by about ten points {NOTE}",
        plan_who=f"Unit nurse manager, two front-line staff and the team's data lead {NOTE}",
        plan_what=f"Introduce {short.lower()} with a one-page guide; count uses daily {NOTE}",
        plan_where=f"{site} ({scope}) {NOTE}", starts=day,
        ends=day + dt.timedelta(days=length),
        what_happened=f"Carried out on {scope}; a few missed days at weekends {NOTE}",
        learned=f"{learned} {NOTE}", decision=decision,
        closed_on=day + dt.timedelta(days=length + 2), created_by=who,
        created_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC))


def load_improvement_demo(log: Callable[[str], None] = print) -> dict[str, int]:
    """Load the synthetic improvement work for every demo network and team.

    Returns how many rows of each kind were added (nothing on a second run).
    """
    started = timezone.now()
    loader = Loader(log, late=not Adoption.objects.exists())
    with transaction.atomic():
        measures = {m.code: m for m in Measure.objects.all()}
        backbone = User.objects.filter(network_role=User.NetworkRole.BACKBONE).order_by(
            "pk").first()
        networks = {n.slug: n for n in LearningNetwork.objects.all()}
        teams = list(Team.objects.select_related("jurisdiction", "learning_network").order_by(
            "jurisdiction__postal_code", "learning_network__position"))
        paths = trajectories(teams)
        reported: dict[int, set[str]] = defaultdict(set)
        for team_id, code in TeamMeasure.objects.filter(active=True).values_list(
                "team_id", "measure__code"):
            reported[team_id].add(code)
        people: dict[int, list[User]] = defaultdict(list)
        for m in TeamMembership.objects.filter(role=TeamMembership.Role.LEAD).select_related(
                "user").order_by("user_id"):
            people[m.team_id].append(m.user)
        coaches: dict[int, User] = {}
        for network in networks.values():
            coach = network.faculty.filter(kind="coach").select_related("user").order_by(
                "user_id").first()
            if coach:
                coaches[network.pk] = coach.user
        busy = set(Adoption.objects.values_list("team_id", flat=True)) | set(
            PDSACycle.objects.values_list("team_id", flat=True))
        out: dict[str, list] = defaultdict(list)
        by_network: dict[str, dict[str, ChangeIdea]] = {}
        for slug, pkg in PACKAGES.items():
            if slug in networks:
                by_network[slug] = loader.package(networks[slug], pkg, measures, backbone)
                _choose_primary(by_network[slug], measures, coaches.get(networks[slug].pk)
                                or backbone, loader)
        for team in teams:
            slug = team.learning_network.slug
            if slug not in by_network:
                continue
            who = people.get(team.pk, []) + ([coaches[team.learning_network_id]]
                                             if team.learning_network_id in coaches else [])
            if team.pk not in busy:
                loader.team_work(team, paths[team.pk], PACKAGES[slug], by_network[slug],
                                 reported[team.pk], measures, who, out)
            _team_aim(team, reported[team.pk], measures, who, loader)
        for slug, ideas in by_network.items():
            network = networks[slug]
            loader.calendar(network, list(ideas.values()),
                            [t for t in teams if t.learning_network_id == network.pk], out)
        loader.write(out)
        _demo_team_diagram(teams, by_network, measures, loader)
    from .storyboards import load_storyboard_demo

    loader.counts["storyboards"] += load_storyboard_demo(log=lambda _: None)
    seconds = (timezone.now() - started).total_seconds()
    added = ", ".join(f"{n} {k}" for k, n in sorted(loader.counts.items()) if n) or "nothing"
    log(f"Demo improvement work (synthetic): {added} added in {seconds:.1f} s.")
    return {k: n for k, n in loader.counts.items() if n}


def _choose_primary(ideas: dict[str, ChangeIdea], measures: dict[str, Measure],
                    faculty: User | None, loader: Loader) -> None:
    """Faculty's choice of primary measure for the ideas linked to several, made once."""
    for key, code in CHOSEN.items():
        idea = ideas.get(key)
        if idea is not None and faculty is not None and idea.primary_chosen_at is None \
                and code in measures:
            evidence.set_primary_measure(idea=idea, measure=measures[code], user=faculty)
            loader.counts["primary measures chosen"] += 1


def _team_aim(team: Team, reported: set[str], measures: dict[str, Measure],
              who: list[User], loader: Loader) -> None:
    if Aim.objects.filter(team=team).exists():
        return
    codes = sorted(reported & MOVERS) or sorted(reported - {"IMR"})[:1] or sorted(reported)
    if not codes:
        return
    m = measures[codes[0]]
    verb = "Reduce" if m.direction == Measure.Direction.DOWN else "Increase"
    name = m.name[0].lower() + m.name[1:]
    services.save_aim(owner=team, what=f"{verb} '{name}' in {team.jurisdiction.name}'s "
                      f"pilot sites", how_much=f"by 10 % over the baseline year {NOTE}",
                      by_when=GOAL_DUE, measures=[m], user=who[0] if who else None)
    loader.counts["aims"] += 1


def _demo_team_diagram(teams: list[Team], by_network: dict[str, dict[str, ChangeIdea]],
                       measures: dict[str, Measure], loader: Loader) -> None:
    """The demo logins' team gets its own driver diagram: the network's, with its ideas."""
    postal, slug = DEMO_TEAM
    team = next((t for t in teams if (t.jurisdiction.postal_code, t.learning_network.slug)
                 == (postal, slug)), None)
    if team is None or slug not in by_network:
        return
    diagram = services.diagram_for(team)
    if Driver.objects.filter(diagram=diagram).exists():
        return
    services.set_diagram_aim(diagram=diagram, aim=Aim.objects.filter(team=team).first())
    ideas = by_network[slug]
    used = set(Adoption.objects.filter(team=team).values_list("change_idea_id", flat=True))
    keys = {k for k, i in ideas.items() if i.pk in used} or set(ideas)
    loader.counts["driver boxes"] += loader.draw(diagram, PACKAGES[slug], measures, ideas,
                                                 only=keys)
