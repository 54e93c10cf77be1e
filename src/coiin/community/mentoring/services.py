"""Peer mentoring from the data: bright spots, suggestions, introductions, meetings.

**Bright spot.** A team is a bright spot on a measure when its chart (built by
``charts.building.build`` from its submitted data, on the default chart: Anhøj rules,
its own saved baseline, phases and exclusions ignored so that chart settings do not move
who counts) shows a *sustained improvement*: ``charting.sustained_improvement`` -- the
latest points sit in a run on the good side of the centre line longer than the Anhøj
limit -- **and** that trailing run is at least ``MIN_HOLD`` (6) periods long.
Measures without a preferred direction have no bright spots. And it must have improved
*more than the network's other teams over the same months*: its change from the (up to)
12 periods before the run to the run itself, minus the median change of the other
reporting teams over the same periods, must be on the good side and at least half of its
own change (``RELATIVE_SHARE``); a team improving only as much as everyone else, on a
trend they all share, is not a bright spot. With fewer than ``MIN_COMPARISON`` other
teams to compare with, its own chart decides.

**Who is suggested to whom.** A team reporting the same measure in the same learning
network whose chart is neither a bright spot nor improving (``signal_direction``) sees
the bright spots as suggested mentors.

**Cache.** Building every team's chart is the expensive part, so a network's bright
spots on a measure are kept in Django's cache under a fingerprint of the data they
come from (``data_version``); a new or changed submission, a change of measures or a
new adoption status gives a new key, so nothing stale is served.

**What is shared.** Within a learning network the bright spot's team name, the measure,
a sentence saying how long the improvement has held, and the change ideas it adopted
before the run began are shareable (they are the network's shared learning). The
chart itself (its summary with values, and the link to it) is shown only to people who
may see the team's data (``access.can(user, VIEW_DATA, team)``). The same sentence is
stored on the pairing request, so the mentor team knows what it was asked about.

**Who does what.** Members of a team ask for an introduction on its behalf; the mentor
team's lead (or backbone staff) accepts or declines; members of either team and the
network's faculty record meetings and what was learned. Members of either team (or
backbone staff) close an accepted pairing, saying what was learned; the other team is
told, and the lesson joins "what works".
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coiin import access
from coiin.access import Action
from coiin.charts import building as charting
from coiin.improvement.models import Adoption, AdoptionStatus, ChangeIdea
from coiin.measures.models import Measure, Submission, TeamMeasure
from coiin.network.models import LearningNetwork, Team, TeamMembership, User

from ..notifications import services as notifications
from ..notifications.models import Notification
from .models import MentorMeeting, MentorPairing, bright_spot_sentence

MIN_HOLD = 6  # periods the improvement must have held
RELATIVE_SHARE = 0.5  # of its own change, at least, beyond the other teams' median change
MIN_COMPARISON = 2
BEFORE_PERIODS = 12
CACHE_SECONDS = 6 * 60 * 60  # the key changes with the data; this only bounds the memory


# Bright spots ----------------------------------------------------------------------------

def held_periods(tc: charting.TeamChart) -> int:
    """How many periods a sustained improvement has held (0 when there is none, or the
    run is shorter than ``MIN_HOLD``)."""
    if tc.chart is None or not charting.sustained_improvement(tc):
        return 0
    _, length = charting.trailing_run(tc.chart)
    return length if length >= MIN_HOLD else 0


def chart_for(team: Team, measure: Measure) -> charting.TeamChart:
    return charting.build(team, measure, charting.observations(team, [measure]).get(
        measure.pk, []))


@dataclass
class BrightSpot:
    team: Team
    measure: Measure
    held: int
    since: dt.date  # first period of the run
    chart_summary: str
    ideas: list[ChangeIdea] = field(default_factory=list)
    beyond: float | None = None  # its change beyond the other teams' median, good side

    @property
    def sentence(self) -> str:
        """Why the team is suggested, in the reader's language."""
        return bright_spot_sentence(self.team, self.measure, **self.facts)

    @property
    def facts(self) -> dict:
        """What the sentence says, as figures a pairing keeps (to word it for each reader)."""
        return {"held": self.held, "since": self.since.isoformat(), "beyond": self.beyond}

    def chart_url(self) -> str:
        return reverse("chart", args=[self.team.learning_network.slug,
                                           self.team.jurisdiction.postal_code.lower(),
                                           self.measure.code])


def _reporting_teams(measure: Measure, network_id: int) -> QuerySet[Team]:
    ids = TeamMeasure.objects.filter(measure=measure, active=True,
                                     team__learning_network_id=network_id).values("team_id")
    return Team.objects.filter(pk__in=ids).select_related("jurisdiction", "learning_network")


def data_version(network_id: int) -> str:
    """What the network's bright spots depend on, as a short fingerprint: its teams'
    submissions (every save raises ``version`` and ``updated_at``), which measures each
    team reports, and the change ideas they have adopted. Three small aggregate queries."""
    subs = Submission.objects.filter(team__learning_network_id=network_id).aggregate(
        n=Count("pk"), last=Max("updated_at"), versions=Sum("version"))
    chosen = TeamMeasure.objects.filter(team__learning_network_id=network_id,
                                        active=True).aggregate(
        n=Count("pk"), teams=Sum("team_id"), measures=Sum("measure_id"),
        last=Max("chosen_at"))
    adopted = AdoptionStatus.objects.filter(
        adoption__team__learning_network_id=network_id).aggregate(n=Count("pk"),
                                                                  last=Max("pk"))
    raw = repr((sorted(subs.items()), sorted(chosen.items()), sorted(adopted.items()),
                MIN_HOLD))
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def assess_network(measure: Measure, network_id: int, *, version: str | None = None
                   ) -> tuple[list[BrightSpot], list[Team]]:
    """(bright spots, teams without improvement) among a network's teams on a measure.

    Cached per network, measure and ``data_version``: the charts are rebuilt only when
    the network's data (or its adoptions) change. Pass ``version`` when assessing several
    measures of one network in a row, to fingerprint the data once.
    """
    version = version or data_version(network_id)
    key = f"coiin:brightspots:{network_id}:{measure.pk}:{measure.direction}:{version}"
    cached = cache.get(key)
    if cached is None:
        cached = _assess_network(measure, network_id)
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def _values(tc: charting.TeamChart) -> dict[dt.date, float]:
    if tc.chart is None:
        return {}
    return {o.period.start: float(p.y) for o, p in zip(tc.observations, tc.chart.points,
                                                         strict=True)
            if p.y is not None and p.y == p.y}


def _change(values: dict[dt.date, float], before: list[dt.date], after: list[dt.date]
            ) -> float | None:
    b = [values[d] for d in before if d in values]
    a = [values[d] for d in after if d in values]
    if len(b) < 3 or len(a) < 3:
        return None
    return sum(a) / len(a) - sum(b) / len(b)


def beyond_others(measure: Measure, mine: dict[dt.date, float],
                  others: list[dict[dt.date, float]], held: int) -> tuple[bool, float | None]:
    """(is it still a bright spot, its change beyond the other teams' median change, on
    the good side) over the run of ``held`` periods against the periods before it."""
    dates = sorted(mine)
    after, before = dates[-held:], dates[:-held][-BEFORE_PERIODS:]
    own = _change(mine, before, after)
    changes = sorted(c for c in (_change(o, before, after) for o in others) if c is not None)
    if own is None or len(changes) < MIN_COMPARISON:
        return True, None
    mid = len(changes) // 2
    median = changes[mid] if len(changes) % 2 else (changes[mid - 1] + changes[mid]) / 2
    sign = -1 if measure.direction == Measure.Direction.DOWN else 1
    excess = sign * (own - median)
    return excess > 0 and excess >= RELATIVE_SHARE * sign * own, excess


def _assess_network(measure: Measure, network_id: int
                    ) -> tuple[list[BrightSpot], list[Team]]:
    spots, without = [], []
    charts = [(team, chart_for(team, measure))
              for team in _reporting_teams(measure, network_id)]
    values = {team.pk: _values(tc) for team, tc in charts}
    for team, tc in charts:
        held = held_periods(tc)
        bright, beyond = False, None
        if held:
            others = [v for pk, v in values.items() if pk != team.pk]
            bright, beyond = beyond_others(measure, values[team.pk], others, held)
        if bright:
            since = tc.observations[-held].period.start
            ideas = [a.change_idea for a in Adoption.objects.filter(
                team=team, adopted_on__isnull=False, adopted_on__lte=since,
                change_idea__learning_network_id=network_id).select_related("change_idea")]
            spots.append(BrightSpot(team, measure, held, since, tc.summary, ideas, beyond))
        elif tc.chart is not None and charting.signal_direction(tc) != "improving" \
                and not held:
            without.append(team)
    return spots, without


def suggestions_for(team: Team) -> list[BrightSpot]:
    """Bright spots on the measures where this team has no improvement."""
    out = []
    version = data_version(team.learning_network_id)
    for tm in TeamMeasure.objects.filter(team=team, active=True).select_related("measure"):
        if tm.measure.direction not in ("up", "down"):
            continue
        spots, without = assess_network(tm.measure, team.learning_network_id,
                                        version=version)
        if team in without:
            out += [s for s in spots if s.team != team]
    return out


# The flow --------------------------------------------------------------------------------

def request_introduction(*, mentee: Team, mentor: Team, measure: Measure, by: User,
                         message: str = "") -> MentorPairing:
    """Ask a bright spot for an introduction; it must still be a bright spot on the measure
    and the asking team must report the measure without improvement."""
    if not access.can(by, Action.REQUEST_MENTOR, mentee):
        raise PermissionDenied(_("Only the team's members ask for a mentor."))
    spot = next((s for s in suggestions_for(mentee)
                 if s.team.pk == mentor.pk and s.measure.pk == measure.pk), None)
    if spot is None:
        raise ValidationError(_("That team is not a suggested mentor for this measure."))
    if MentorPairing.objects.filter(mentor=mentor, mentee=mentee, measure=measure,
                                    status__in=["requested", "accepted"]).exists():
        raise ValidationError(_("You have already asked this team about this measure."))
    with transaction.atomic():
        pairing = MentorPairing.objects.create(
            mentor=mentor, mentee=mentee, measure=measure, requested_by=by,
            message=message.strip(), evidence=spot.sentence, evidence_facts=spot.facts)
        pairing.change_ideas.set(spot.ideas)
    _notify(pairing, [m.user for m in mentor.memberships.filter(
        role=TeamMembership.Role.LEAD).select_related("user")],
        lambda: _("%(mentee)s asks %(mentor)s to mentor them on %(measure)s")
        % {"mentee": mentee, "mentor": mentor, "measure": measure.name})
    return pairing


def answer_request(*, pairing: MentorPairing, by: User, accept: bool) -> MentorPairing:
    if not access.can(by, Action.ANSWER_PAIRING, pairing):
        raise PermissionDenied(_("Only the mentor team's lead may answer."))
    if pairing.status != MentorPairing.Status.REQUESTED:
        raise ValidationError(_("This request has already been answered."))
    pairing.status = MentorPairing.Status.ACCEPTED if accept else MentorPairing.Status.DECLINED
    pairing.answered_by, pairing.answered_at = by, timezone.now()
    pairing.save(update_fields=["status", "answered_by", "answered_at"])
    _notify(pairing, [pairing.requested_by],
            lambda: (_("%(mentor)s accepted your mentoring request") if accept
                     else _("%(mentor)s declined your mentoring request"))
            % {"mentor": pairing.mentor})
    return pairing


def record_meeting(*, pairing: MentorPairing, by: User, on: dt.date, notes: str,
                   learned: str | None = None) -> MentorMeeting:
    """A meeting of an accepted pairing; optionally update what was learned."""
    if not access.can(by, Action.RECORD_MEETING, pairing):
        raise PermissionDenied(_("Only the two teams and their faculty record meetings."))
    if pairing.status not in (MentorPairing.Status.ACCEPTED, MentorPairing.Status.CLOSED):
        raise ValidationError(_("Meetings are recorded once the mentor team has accepted."))
    if not notes.strip():
        raise ValidationError({"notes": _("Say what you discussed.")})
    with transaction.atomic():
        meeting = MentorMeeting.objects.create(pairing=pairing, on=on, notes=notes.strip(),
                                               recorded_by=by)
        if learned is not None and learned.strip():
            pairing.learned = learned.strip()
            pairing.save(update_fields=["learned"])
    return meeting


MAX_LESSON = 2000  # characters: a short note, not a report


def close_pairing(*, pairing: MentorPairing, by: User, learned: str) -> MentorPairing:
    """End an accepted pairing with what it taught; the other team's members are told.
    The lesson shows with the pairing's change ideas on "what works"."""
    if not access.can(by, Action.CLOSE_PAIRING, pairing):
        raise PermissionDenied(_("Only members of the two teams close a pairing."))
    status = pairing.status
    if status == MentorPairing.Status.CLOSED:
        raise ValidationError(
            _("This pairing was already closed on %(date)s.") % {"date": date_format(
                pairing.closed_at)} if pairing.closed_at
            else _("This pairing was already closed."))
    if status == MentorPairing.Status.DECLINED:
        raise ValidationError(_("The mentor team declined this request; there is no pairing "
                                "to close."))
    if status == MentorPairing.Status.REQUESTED:
        raise ValidationError(_("The mentor team has not answered yet; a pairing is closed "
                                "once it has been accepted."))
    learned = learned.strip()
    if not learned:
        raise ValidationError({"learned": _("Say in a few sentences what the two teams "
                               "learned; it is what other teams will read.")})
    if len(learned) > MAX_LESSON:
        raise ValidationError({"learned": _("Keep it short: at most %(max_length)s characters "
                                            "(this is %(number)s).")
                                          % {"max_length": MAX_LESSON, "number": len(learned)}})
    with transaction.atomic():
        # Re-read under a lock so two people closing at once cannot both succeed.
        locked = MentorPairing.objects.select_for_update().get(pk=pairing.pk)
        if locked.status != MentorPairing.Status.ACCEPTED:
            raise ValidationError(_("This pairing changed meanwhile; reload the page."))
        pairing.status, pairing.learned = MentorPairing.Status.CLOSED, learned
        pairing.closed_by, pairing.closed_at = by, timezone.now()
        pairing.save(update_fields=["status", "learned", "closed_by", "closed_at"])
        on_mentor = access.team_role(by, pairing.mentor) is not None
        on_mentee = access.team_role(by, pairing.mentee) is not None
        teams = ([pairing.mentee] if on_mentor and not on_mentee else
                 [pairing.mentor] if on_mentee and not on_mentor else
                 [pairing.mentor, pairing.mentee])
        people = (User.objects.filter(memberships__team__in=teams, is_active=True)
                  .exclude(pk=by.pk).distinct().order_by("pk"))
        _notify(pairing, people, lambda: _(
            "%(who)s closed the mentoring pairing of %(mentor)s and %(mentee)s on "
            "%(measure)s") % {"who": by.display_name, "mentor": pairing.mentor,
                              "mentee": pairing.mentee, "measure": pairing.measure.name})
    return pairing


def _notify(pairing: MentorPairing, users: Iterable[User],
            text: Callable[[], str]) -> None:
    """Tell these people, each in their own language."""
    notifications.notify_each(people=users, kind=Notification.Kind.MENTORING, text=text,
                              url=pairing.get_absolute_url(), source=pairing)


# What works hook -------------------------------------------------------------------------

def pairings_for_change_idea(idea: ChangeIdea) -> list[MentorPairing]:
    """Accepted (or finished) pairings in which the mentor had adopted this idea, with
    their meetings: for the what-works page of the idea."""
    return list(MentorPairing.objects.filter(
        change_ideas=idea, status__in=[MentorPairing.Status.ACCEPTED,
                                       MentorPairing.Status.CLOSED])
        .select_related("mentor__jurisdiction", "mentee__jurisdiction", "measure")
        .prefetch_related("meetings"))


def lessons_by_idea(ideas: Sequence[ChangeIdea]) -> list[tuple[int, MentorPairing]]:
    """(idea id, pairing) for every closed pairing on these ideas, newest first: what
    peer mentoring taught, for "what works". One query."""
    links = (MentorPairing.change_ideas.through.objects
             .filter(changeidea__in=ideas, mentorpairing__status=MentorPairing.Status.CLOSED)
             .select_related("mentorpairing__mentor__jurisdiction",
                             "mentorpairing__mentee__jurisdiction", "mentorpairing__measure")
             .order_by("-mentorpairing__closed_at", "-mentorpairing_id"))
    return [(link.changeidea_id, link.mentorpairing) for link in links]


def unlinked_lessons(network: LearningNetwork) -> list[MentorPairing]:
    """Closed pairings of a network tied to no change idea: their lessons are shown apart
    from the ideas."""
    return list(MentorPairing.objects.filter(
        mentee__learning_network=network, status=MentorPairing.Status.CLOSED,
        change_ideas__isnull=True)
        .select_related("mentor__jurisdiction", "mentee__jurisdiction", "measure")
        .order_by("-closed_at", "-pk"))
