"""Storing what an interchange document holds, all or nothing: its values through the
measures app's one writer (``coiin.measures.io.import_rows`` → ``services.import_stream``:
the import's checks, history, locks and official figures), then each team-period moved
forward to the workflow status the document gives it (``bring_forward``); and the
mapping's rows that backbone staff change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from coiin import access
from coiin.access import Action
from coiin.measures import io
from coiin.measures import services as measures
from coiin.measures.models import Measure, Stratum, Submission
from coiin.measures.periods import Period, PeriodError
from coiin.network.models import Team, User
from coiin.network.services import RowError

from .models import ElementMap, UnitMap
from .records import SURVEY_COLUMNS, Document, Problem, Record, StatusClaim, status_order

STEP_ACTIONS = {"submitted": Action.SUBMIT_DATA, "reviewed": Action.REVIEW_DATA,
                "locked": Action.LOCK_DATA}


@dataclass
class InterchangeResult(io.ImportResult):
    """An import's counts, with the team-periods moved forward in the workflow."""

    statuses_moved: int = 0
    statuses_kept: int = 0  # already there or further on: never moved back
    problems_warned: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        verb = "would be" if self.dry_run else "were"
        return (super().summary() + f" {self.statuses_moved:,} periods {verb} moved forward "
                f"in the workflow, {self.statuses_kept:,} already there.")

    def import_summary(self) -> dict[str, Any]:
        """The answer in the shape of DHIS2's importSummary."""
        return {"responseType": "ImportSummary", "status": "SUCCESS", "dryRun": self.dry_run,
                "importCount": {"imported": self.created, "updated": self.changed,
                                "ignored": self.unchanged, "deleted": self.deleted},
                "workflow": {"moved": self.statuses_moved, "kept": self.statuses_kept},
                "conflicts": [], "warnings": [_conflict(p) for p in self.problems_warned]}


class InterchangeRefused(io.ImportRefused):
    """Nothing was stored; ``problems`` names each place in the document and why."""

    def __init__(self, problems: Sequence[Problem], warnings: Sequence[Problem] = ()):
        self.problems = list(problems)
        self.warning_problems = list(warnings)
        super().__init__([RowError(i, p.where, p.reason + (gettext(" (found %(value)s)") % {
            "value": repr(p.value)} if p.value else ""))
                          for i, p in enumerate(self.problems, start=1)])

    def import_summary(self) -> dict[str, Any]:
        return {"responseType": "ImportSummary", "status": "ERROR",
                "description": f"Nothing was stored: {len(self.problems)} problems.",
                "importCount": {"imported": 0, "updated": 0, "ignored": 0, "deleted": 0},
                "conflicts": [_conflict(p) for p in self.problems],
                "warnings": [_conflict(p) for p in self.warning_problems]}


def _conflict(p: Problem) -> dict[str, str]:
    return {"object": p.where, "value": p.value, "reason": p.reason}


def _as_problem(records: Sequence[Record], e: RowError) -> Problem:
    r = records[e.row - 1] if 1 <= e.row <= len(records) else None
    if r is None:
        return Problem(e.field, "", e.message)
    value = r.values.get(e.field, getattr(r, e.field, "") if e.field in r.cells() else "")
    reason = e.message
    if e.field in ("numerator", "denominator", "value", *SURVEY_COLUMNS) \
            and e.field not in r.paths:
        reason = f"{e.field} {reason}"  # a part the document left out: say which
    return Problem(r.path(e.field), str(value), reason)


def import_document(doc: Document, *, user: User | None = None, check_access: bool = False,
                    only_team: Team | None = None, dry_run: bool = False,
                    reason: str = "interchange import") -> InterchangeResult:
    """Store a read document, all or nothing (see the module). Raises InterchangeRefused
    listing every problem: those found while reading, the values' and the workflow's."""
    problems = list(doc.problems)
    rows = [(i, r.cells()) for i, r in enumerate(doc.records, start=1)]
    result = InterchangeResult(dry_run=dry_run)
    warnings: list[Problem] = []
    try:
        with transaction.atomic():
            try:
                done = io.import_rows(rows, user=user, check_access=check_access,
                                      only_team=only_team, dry_run=dry_run or bool(problems),
                                      reason=reason)
                for name in ("rows", "created", "changed", "unchanged", "deleted",
                             "submissions_created", "submission_ids"):
                    setattr(result, name, getattr(done, name))
                warnings = [_as_problem(doc.records, w) for w in done.warnings]
            except io.ImportRefused as exc:
                problems += [_as_problem(doc.records, e) for e in exc.errors]
                warnings = [_as_problem(doc.records, w) for w in exc.warnings]
            moves = _moves(doc, user=user, check_access=check_access, problems=problems,
                           result=result)
            if problems:
                raise InterchangeRefused(problems, warnings)
            if not dry_run:
                for sub, status, where in moves:
                    try:
                        measures.bring_forward(submission=sub, user=user, to=status,
                                               note=reason)
                    except measures.ReportingError as exc:
                        problems.append(Problem(where, status, str(exc)))
                if problems:
                    raise InterchangeRefused(problems, warnings)
    except IntegrityError:
        raise InterchangeRefused([Problem("file", "", "someone else stored some of these "
                                          "values meanwhile; nothing was stored, try again")]
                                 ) from None
    result.warnings = [RowError(i, p.where, p.reason) for i, p in enumerate(warnings, 1)]
    result.problems_warned = warnings
    return result


def _moves(doc: Document, *, user: User | None, check_access: bool, problems: list[Problem],
           result: InterchangeResult) -> list[tuple[Submission, str, str]]:
    """The team-periods to move forward, and to what; problems recorded."""
    wanted: dict[tuple[str, str, str], StatusClaim] = {}
    for claim in doc.statuses:
        key = (claim.jurisdiction, claim.network, claim.period)
        if key not in wanted or status_order(claim.status) > status_order(wanted[key].status):
            wanted[key] = claim
    if not wanted:
        return []
    teams = {(t.jurisdiction.postal_code.upper(), t.learning_network.slug): t
             for t in Team.objects.select_related("jurisdiction", "learning_network")}
    written = {r.period_key for r in doc.records}
    moves = []
    for (postal, network, label), claim in wanted.items():
        team = teams.get((postal.upper(), network.lower()))
        try:
            period = Period.parse(label)
        except PeriodError:
            period = None
        if team is None or period is None:
            if (postal, network, label) not in written:
                problems.append(Problem(claim.where, f"{postal}/{network} {label}",
                                        "names no team and period of the platform"))
            continue  # the values' rows already say what is wrong
        sub = Submission.objects.filter(team=team, frequency=period.frequency.value,
                                        period_start=period.start).first()
        current = sub.status if sub is not None else "draft"
        if status_order(claim.status) <= status_order(current):
            result.statuses_kept += 1
            continue
        if check_access:
            steps = ("submitted", "reviewed", "locked")[status_order(current):
                                                        status_order(claim.status)]
            for step in steps:
                if not access.can(user or _anonymous(), STEP_ACTIONS[step], team):
                    problems.append(Problem(claim.where, claim.status,
                                            f"you may not mark {team} {label} {step}"))
                    break
            closed = sub if sub is not None else Submission(
                team=team, frequency=period.frequency.value, period_start=period.start)
            if "submitted" in steps and measures.is_closed(closed) and not (
                    user is not None and access.is_backbone(user)):
                # As on the entry page: after its closing day only backbone staff (or an
                # exception they grant) let a period be submitted.
                problems.append(Problem(claim.where, claim.status, f"{team} {label} closed on "
                                        f"{measures.closes_on(closed):%B %-d, %Y}; ask the "
                                        "backbone staff for an exception to submit it"))
        result.statuses_moved += 1
        if sub is None and not result.dry_run and not problems:
            problems.append(Problem(claim.where, claim.status, f"{team} {label} has no "
                                    "values; a period without values cannot be "
                                    f"{claim.status}"))
        elif sub is not None:
            moves.append((sub, claim.status, claim.where))
    return moves


def _anonymous() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


# -- the mapping -----------------------------------------------------------------------------


def set_element(*, measure: Measure, stratum: Stratum | None, part: str, data_element: str,
                category_option_combo: str) -> ElementMap:
    """Map a measure's part (in total or for a stratum) to a data element and combo;
    ValueError when another row (stored or default) already travels under those codes."""
    from . import mapping

    codes = (data_element.strip(), category_option_combo.strip() or "default")
    taken = mapping.current().reverse_elements().get(codes)
    if taken is not None and taken != (measure.code, stratum.code if stratum else "", part):
        raise ValueError(f"{codes[0]}/{codes[1]} already carries {taken[0]} "
                         f"{taken[1] or 'total'} {taken[2]}.")
    with transaction.atomic():
        row, _ = ElementMap.objects.update_or_create(
            measure=measure, stratum=stratum, part=part,
            defaults={"data_element": data_element.strip(),
                      "category_option_combo": category_option_combo.strip() or "default"})
    return row


def set_unit(*, team: Team, org_unit: str, attribute_option_combo: str) -> UnitMap:
    """Map a team to an org unit and attribute option combo; ValueError when another team
    (stored or default) already travels under them."""
    from . import mapping

    codes = (org_unit.strip(), attribute_option_combo.strip() or "default")
    taken = mapping.current().reverse_units().get(codes)
    if taken is not None and taken != (team.jurisdiction.postal_code,
                                       team.learning_network.slug):
        raise ValueError(f"{codes[0]}/{codes[1]} already stands for {taken[0]} {taken[1]}.")
    with transaction.atomic():
        row, _ = UnitMap.objects.update_or_create(
            team=team, defaults={"org_unit": org_unit.strip(),
                                 "attribute_option_combo": attribute_option_combo.strip()
                                 or "default"})
    return row
