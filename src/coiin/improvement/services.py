"""The only ways the improvement work changes, and the queries the charts need.

Pages, the demo and (later) the API call these functions. Each checks the rules that
span rows (a ramp's cycles share a team and a change idea; a closed cycle has a decision;
a change idea comes from the team's own network) and raises ValidationError otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname, get_language

from coiin.charts.vega import Marker
from coiin.measures.models import Measure
from coiin.network.models import LearningNetwork, Team, User

from . import evidence
from .models import (
    SCALE,
    Adoption,
    AdoptionStatus,
    Aim,
    Attendance,
    ChangeIdea,
    CycleComment,
    Driver,
    DriverDiagram,
    Event,
    PDSACycle,
    ProgressScore,
    Ramp,
)

Owner = Team | LearningNetwork


def _owner_fields(owner: Owner) -> dict[str, object]:
    if isinstance(owner, Team):
        return {"team": owner, "learning_network": None}
    return {"team": None, "learning_network": owner}


def _network_of(owner: Owner) -> LearningNetwork:
    return owner.learning_network if isinstance(owner, Team) else owner


# -- aims ------------------------------------------------------------------------------


def save_aim(*, owner: Owner, what: str, how_much: str, by_when: dt.date,
             measures: Iterable[Measure] = (), user: User | None = None,
             aim: Aim | None = None) -> Aim:
    """Create an aim for a team or a network, or change ``aim``."""
    measures = list(measures)
    network = _network_of(owner)
    foreign = [m.code for m in measures
               if m.learning_network_id not in (None, network.pk)]
    if foreign:
        raise ValidationError({"measures": _("%(measures)s belong to another learning network.")
                                           % {"measures": ', '.join(foreign)}})
    with transaction.atomic():
        if aim is None:
            position = Aim.objects.filter(**_owner_fields(owner)).count()
            aim = Aim(**_owner_fields(owner), position=position)
        aim.what, aim.how_much, aim.by_when = what.strip(), how_much.strip(), by_when
        aim.updated_by = user
        aim.full_clean()
        aim.save()
        aim.measures.set(measures)
    return aim


def remove_aim(*, aim: Aim) -> None:
    aim.delete()


# -- driver diagrams -------------------------------------------------------------------


def diagram_for(owner: Owner) -> DriverDiagram:
    """The owner's driver diagram (made the first time someone needs it)."""
    fields = _owner_fields(owner)
    diagram = DriverDiagram.objects.filter(**fields).first()
    if diagram is None:
        try:
            with transaction.atomic():
                diagram = DriverDiagram.objects.create(
                    **fields, aim=Aim.objects.filter(**fields).first())
        except IntegrityError:  # someone else made it a moment ago
            diagram = DriverDiagram.objects.get(**fields)
    return diagram


def set_diagram_aim(*, diagram: DriverDiagram, aim: Aim | None) -> None:
    if aim is not None and (aim.team_id, aim.learning_network_id) != (
            diagram.team_id, diagram.learning_network_id):
        raise ValidationError({"aim": _("Choose one of this diagram's own aims.")})
    diagram.aim = aim
    diagram.save(update_fields=["aim", "updated_at"])


def _check_node_links(diagram: DriverDiagram, measure: Measure | None,
                      change_idea: ChangeIdea | None) -> None:
    network = diagram.network
    if measure is not None and measure.learning_network_id not in (None, network.pk):
        raise ValidationError({"measure": _("That measure belongs to another learning network.")})
    if change_idea is not None and change_idea.learning_network_id != network.pk:
        raise ValidationError({"change_idea": _("That idea is in another network's change "
                                                "package.")})


def add_node(*, diagram: DriverDiagram, kind: str, text: str, parent: Driver | None = None,
             measure: Measure | None = None, change_idea: ChangeIdea | None = None) -> Driver:
    """Add a box: a primary driver under the aim, a secondary under a primary, a change
    idea under a secondary. It goes last among its siblings."""
    _check_node_links(diagram, measure, change_idea)
    if not text.strip() and change_idea is not None:
        text = change_idea.title
    siblings = Driver.objects.filter(diagram=diagram, parent=parent)
    position = (siblings.aggregate(m=Max("position"))["m"] or 0) + 1
    node = Driver(diagram=diagram, parent=parent, kind=kind, text=text.strip(),
                  measure=measure, change_idea=change_idea, position=position)
    node.full_clean()
    node.save()
    DriverDiagram.objects.filter(pk=diagram.pk).update(updated_at=timezone.now())
    return node


def change_node(*, node: Driver, text: str, measure: Measure | None,
                change_idea: ChangeIdea | None = None) -> Driver:
    """Rename a box, and set (or clear) the measure and change idea it is linked to."""
    _check_node_links(node.diagram, measure, change_idea)
    node.text = text.strip() or (change_idea.title if change_idea else "")
    node.measure, node.change_idea = measure, change_idea
    node.full_clean()
    node.save()
    return node


def remove_node(*, node: Driver) -> None:
    """Remove a box and everything hanging from it."""
    node.delete()


def move_node(*, node: Driver, step: int) -> None:
    """Move a box up (-1) or down (+1) among its siblings."""
    with transaction.atomic():
        siblings = list(Driver.objects.select_for_update().filter(
            diagram_id=node.diagram_id, parent_id=node.parent_id).order_by("position", "pk"))
        index = next(i for i, s in enumerate(siblings) if s.pk == node.pk)
        target = index + step
        if not 0 <= target < len(siblings):
            return
        siblings[index], siblings[target] = siblings[target], siblings[index]
        for position, sibling in enumerate(siblings, start=1):
            if sibling.position != position:
                sibling.position = position
                sibling.save(update_fields=["position"])


# -- change package --------------------------------------------------------------------


def save_change_idea(*, network: LearningNetwork, title: str, description: str,
                     evidence: str, resources: str = "", user: User | None = None,
                     idea: ChangeIdea | None = None) -> ChangeIdea:
    if idea is None:
        position = network.change_ideas.count() + 1
        idea = ChangeIdea(learning_network=network, position=position)
    elif idea.learning_network_id != network.pk:
        raise ValidationError(_("That idea is in another network's change package."))
    _write_texts(idea, {"title": _plain(title), "description": _plain(description),
                        "evidence": _plain(evidence)})
    idea.resources = resources.strip()
    idea.updated_by = user
    idea.full_clean()
    idea.save()
    return idea


def _write_texts(idea: ChangeIdea, texts: dict[str, str]) -> None:
    """Each text into the column of the reader's language. A text sent back as the form
    showed it, in the other language because this one has none yet, is not copied into this
    language's column: it stays untranslated, and marked as such on the page."""
    language = get_language()
    for name, text in texts.items():
        own = getattr(idea, build_localized_fieldname(name, language))
        # A browser sends a textarea's line breaks as CR LF: compared as the text stored.
        if idea.pk and not own and text == _plain(getattr(idea, name) or ""):
            continue
        setattr(idea, name, text)


def _plain(text: str) -> str:
    """A text as stored: line breaks as LF, no white space around it."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


# -- adoptions -------------------------------------------------------------------------


def adoption_date(events: Iterable[tuple[dt.date, str]]) -> dt.date | None:
    """The first day the idea was in use: the first move to testing (or to implementing,
    spreading or sustained when the earlier steps were skipped)."""
    days = [on for on, status in events if status in Adoption.IN_USE]
    return min(days) if days else None


def set_status(*, team: Team, change_idea: ChangeIdea, status: str, on: dt.date,
               note: str = "", user: User | None = None) -> Adoption:
    """Record a team's status for a change idea from ``on``; the history is kept.

    The first status adopts the idea. The current status is the latest by date (the
    later record on the same day).
    """
    if change_idea.learning_network_id != team.learning_network_id:
        raise ValidationError({"change_idea": _("Teams adopt ideas from their own network's "
                                                "change package.")})
    if status not in Adoption.Status.values:
        raise ValidationError({"status": _("%(status)s is not a status.")
                                         % {"status": repr(status)}})
    with transaction.atomic():
        adoption, _created = Adoption.objects.select_for_update().get_or_create(
            team=team, change_idea=change_idea, defaults={"status": status})
        AdoptionStatus.objects.create(adoption=adoption, status=status, on=on,
                                      note=note.strip(), by=user)
        history = evidence.recorded_events(adoption)
        adoption.status = history[-1][1]
        adoption.adopted_on = adoption_date((on, s) for on, s, _r, _c in history)
        adoption.counts_from = evidence.counts_from(history)
        adoption.save(update_fields=["status", "adopted_on", "counts_from"])
    return adoption


# -- PDSA cycles -----------------------------------------------------------------------


def start_ramp(*, team: Team, change_idea: ChangeIdea, title: str) -> Ramp:
    if change_idea.learning_network_id != team.learning_network_id:
        raise ValidationError({"change_idea": _("That idea is in another network's change "
                                                "package.")})
    return Ramp.objects.create(team=team, change_idea=change_idea, title=title.strip())


PLAN_FIELDS = ("title", "objective", "questions", "predictions", "plan_who", "plan_what",
               "plan_where", "starts", "ends")


def plan_cycle(*, team: Team, change_idea: ChangeIdea, user: User | None,
               measures: Iterable[Measure] = (), ramp: Ramp | None = None,
               **plan: object) -> PDSACycle:
    """Log a new test of change (the plan); it gets the team's next cycle number.

    ``plan`` holds the PLAN_FIELDS. Running a cycle on an idea means testing it: a team
    that had not adopted the idea yet (or was only considering it) is recorded as
    testing it from the cycle's start.
    """
    unknown = set(plan) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"unknown plan fields: {', '.join(sorted(unknown))}")
    measures = list(measures)
    cycle = PDSACycle(team=team, change_idea=change_idea, ramp=ramp, created_by=user,
                      **{k: (v.strip() if isinstance(v, str) else v) for k, v in plan.items()})
    cycle.number = 0
    cycle.full_clean(exclude=["number"])
    _check_measures(team, measures)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                last = PDSACycle.objects.filter(team=team).aggregate(m=Max("number"))["m"]
                cycle.number = (last or 0) + 1
                cycle.save()
                cycle.measures.set(measures)
                adoption = Adoption.objects.filter(team=team, change_idea=change_idea).first()
                if adoption is None or adoption.status == Adoption.Status.CONSIDERING:
                    set_status(team=team, change_idea=change_idea,
                               status=Adoption.Status.TESTING, on=cycle.starts,
                               note=f"Testing begins with {cycle.label}.", user=user)
            return cycle
        except IntegrityError:  # two cycles numbered at once: take the next number
            cycle.pk = None
            continue
    raise ValidationError(_("Could not number the cycle; try again."))


def _check_measures(team: Team, measures: list[Measure]) -> None:
    foreign = [m.code for m in measures
               if m.learning_network_id not in (None, team.learning_network_id)]
    if foreign:
        raise ValidationError({"measures": _("%(measures)s belong to another learning network.")
                                           % {"measures": ', '.join(foreign)}})


def change_plan(*, cycle: PDSACycle, measures: Iterable[Measure] | None = None,
                **plan: object) -> PDSACycle:
    """Edit the plan of a cycle that is still open."""
    if cycle.is_closed:
        raise ValidationError(_("This cycle is closed; plan a new one that builds on it."))
    for k, v in plan.items():
        if k not in PLAN_FIELDS:
            raise TypeError(f"unknown plan field {k}")
        setattr(cycle, k, v.strip() if isinstance(v, str) else v)
    cycle.full_clean()
    with transaction.atomic():
        cycle.save()
        if measures is not None:
            measures = list(measures)
            _check_measures(cycle.team, measures)
            cycle.measures.set(measures)
    return cycle


def record_study(*, cycle: PDSACycle, what_happened: str, learned: str) -> PDSACycle:
    """Do and study: what happened, and what was learned compared with the predictions."""
    if cycle.is_closed:
        raise ValidationError(_("This cycle is closed."))
    cycle.what_happened, cycle.learned = what_happened.strip(), learned.strip()
    cycle.save(update_fields=["what_happened", "learned", "updated_at"])
    return cycle


def close_cycle(*, cycle: PDSACycle, decision: str, what_happened: str | None = None,
                learned: str | None = None, on: dt.date | None = None) -> PDSACycle:
    """Act: record the decision (adopt, adapt or abandon) and close the cycle.

    A cycle cannot close without a decision, nor without saying what was learned.
    """
    if cycle.is_closed:
        raise ValidationError(_("This cycle is already closed."))
    if decision not in PDSACycle.Decision.values:
        raise ValidationError({"decision": _("Choose adopt, adapt or abandon to close the "
                                             "cycle.")})
    if what_happened is not None:
        cycle.what_happened = what_happened.strip()
    if learned is not None:
        cycle.learned = learned.strip()
    if not cycle.learned:
        raise ValidationError({"learned": _("Say what was learned, compared with the "
                                            "predictions, before deciding.")})
    cycle.decision = decision
    cycle.closed_on = on or timezone.localdate()
    if cycle.closed_on < cycle.starts:
        raise ValidationError({"closed_on": _("A cycle cannot close before it starts.")})
    cycle.save()
    return cycle


def comment(*, cycle: PDSACycle, author: User, text: str) -> CycleComment:
    if not text.strip():
        raise ValidationError({"text": _("Write a comment.")})
    return CycleComment.objects.create(cycle=cycle, author=author, text=text.strip())


def ramp_cycles(ramp: Ramp) -> list[PDSACycle]:
    """A ramp's cycles in order: each builds on the one before."""
    return list(ramp.cycles.order_by("starts", "number"))


# -- cycles on charts ------------------------------------------------------------------


def cycle_markers(team: Team, measure_ids: list[int]) -> dict[int, list[Marker]]:
    """Per measure id: a chart marker at the start of each cycle naming that measure
    ("PDSA 3: title", linking to the cycle), oldest first. One query."""
    through = PDSACycle.measures.through
    rows = (through.objects.filter(pdsacycle__team=team, measure_id__in=measure_ids)
            .values_list("measure_id", "pdsacycle__number", "pdsacycle__title",
                         "pdsacycle__starts", "pdsacycle__language")
            .order_by("pdsacycle__starts", "pdsacycle__number"))
    prefix = cycles_url(team)
    out: dict[int, list[Marker]] = defaultdict(list)
    for measure_id, number, title, starts, language in rows:
        # The title is the team's words, in the language it was written in.
        out[measure_id].append(Marker(starts, f"PDSA {number}: {title}", "pdsa",
                                      f"{prefix}{number}/", language=language))
    return dict(out)


def cycles_url(team: Team) -> str:
    from django.urls import reverse

    return reverse("improvement:cycles", args=[
        team.learning_network.slug, team.jurisdiction.postal_code.lower()])


def cycles_running(team: Team, measure: Measure | None, period_start: dt.date,
                   period_end: dt.date) -> QuerySet[PDSACycle]:
    """The team's cycles (naming ``measure``, if given) that ran at some time between
    the two dates: started by the end, and not closed before the start. An open cycle
    is running until someone closes it, whatever its planned end."""
    qs = PDSACycle.objects.filter(team=team, starts__lte=period_end).filter(
        Q(closed_on__gte=period_start) | Q(closed_on__isnull=True))
    if measure is not None:
        qs = qs.filter(measures=measure)
    return qs.select_related("change_idea").order_by("starts", "number").distinct()


# -- progress scores -------------------------------------------------------------------


def parse_score(value: object) -> Decimal:
    try:
        score = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"score": _("%(value)s is not a score.")
                                        % {"value": repr(value)}}) from None
    if score not in SCALE:
        raise ValidationError({"score": _("Scores run from 0.5 to 5.0 in steps of 0.5 (the "
                                          "IHI assessment scale).")})
    return score


def record_score(*, team: Team, month: dt.date, score: object, note: str = "",
                 rater: str = ProgressScore.Rater.TEAM, user: User | None = None
                 ) -> ProgressScore:
    """The team's (or its coach's) score for a month; recording it again replaces it."""
    value = parse_score(score)
    if rater not in ProgressScore.Rater.values:
        raise ValidationError({"rater": _("%(rater)s is not a rater.") % {"rater": repr(rater)}})
    month = month.replace(day=1)
    if month > timezone.localdate():
        raise ValidationError({"month": _("Score a month that has begun.")})
    score_row, _created = ProgressScore.objects.update_or_create(
        team=team, month=month, rater=rater,
        defaults={"score": value, "note": note.strip(), "recorded_by": user,
                  "recorded_at": timezone.now()})
    return score_row


# -- calendar --------------------------------------------------------------------------


def save_event(*, network: LearningNetwork, kind: str, title: str, starts: dt.date,
               ends: dt.date | None = None, description: str = "", materials_url: str = "",
               event: Event | None = None) -> Event:
    event = event or Event(learning_network=network)
    event.kind, event.title, event.starts, event.ends = kind, title.strip(), starts, ends
    event.description, event.materials_url = description.strip(), materials_url.strip()
    event.full_clean()
    event.save()
    return event


def record_attendance(*, event: Event, team: Team, attended: bool, who: str = "",
                      user: User | None = None) -> Attendance:
    if team.learning_network_id != event.learning_network_id:
        raise ValidationError({"team": _("That team is not in this learning network.")})
    row, _created = Attendance.objects.update_or_create(
        event=event, team=team,
        defaults={"attended": attended, "who": who.strip(), "recorded_by": user,
                  "recorded_at": timezone.now()})
    return row
