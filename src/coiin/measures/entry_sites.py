"""The sites' part of a team-period's entry form: for each measure the team reports by
site, one row per site (the ones the person may see) and the team's rolled-up figure."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import QueryDict

from coiin import access
from coiin.access import Action, AnyUser
from coiin.network.models import ReportingUnit

from .entry import Row, _text, build_rows
from .messages import localize
from .models import DataValue, Measure, SiteValue, Submission
from .samples import as_text
from .services import SiteEntry, site_measures
from .validation import Entry, Issue


@dataclass
class SiteRow:
    """One site's line for one measure."""

    unit: ReportingUnit
    measure: Measure
    prefix: str
    stored: SiteValue | None
    entry: Entry
    editable: bool
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "warning"]


@dataclass
class SiteBlock:
    """A measure reported by site: its sites' rows and the team's roll-up."""

    measure: Measure
    total: DataValue | None
    rows: list[SiteRow]
    reported: int  # how many of the team's sites reported this period
    sites: int  # how many sites the team has

    @property
    def missing(self) -> list[SiteRow]:
        return [r for r in self.rows if r.stored is None]


def site_prefix(unit: ReportingUnit, measure: Measure) -> str:
    return f"site-{unit.pk}-m-{measure.code}"


def build_site_blocks(submission: Submission, measures: list[Measure],
                      units: list[ReportingUnit], enterable: set[int],
                      data: QueryDict | None = None) -> list[SiteBlock]:
    """A block per by-site measure with a row per visible site, filled from the POST (for
    the sites the person may enter) or from what is stored. ``reported`` counts every
    site of the team, also those the person does not see."""
    if not measures:
        return []
    stored: dict[tuple[int, int], SiteValue] = {}
    totals: dict[int, DataValue] = {}
    reported: dict[int, int] = {}
    if submission.pk:
        for v in submission.site_values.filter(stratum__isnull=True,
                                               measure__in=measures):
            stored[(v.unit_id, v.measure_id)] = v
            reported[v.measure_id] = reported.get(v.measure_id, 0) + 1
        totals = {v.measure_id: v for v in submission.values.filter(
            stratum__isnull=True, measure__in=measures)}
    n_sites = ReportingUnit.objects.filter(team_id=submission.team_id).count()
    label = submission.period.label
    blocks = []
    for measure in measures:
        rows = []
        for unit in units:
            prefix = site_prefix(unit, measure)
            value = stored.get((unit.pk, measure.pk))
            editable = unit.pk in enterable
            if data is not None and editable:
                entry = Entry(measure, label, None,
                              numerator=data.get(f"{prefix}-num", ""),
                              denominator=data.get(f"{prefix}-den", ""),
                              value=data.get(f"{prefix}-val", ""),
                              measurements=data.get(f"{prefix}-meas", ""),
                              comment=data.get(f"{prefix}-comment", ""),
                              confirm=data.get(f"{prefix}-confirm", ""))
            else:
                entry = Entry(measure, label, None,
                              numerator=_text(value.numerator) if value else "",
                              denominator=_text(value.denominator) if value else "",
                              value=_text(value.value) if value else "",
                              measurements=as_text(value.measurements) if value else "",
                              comment=value.comment if value else "",
                              confirm=value.warnings_confirmed if value else "")
            rows.append(SiteRow(unit=unit, measure=measure, prefix=prefix, stored=value,
                                entry=entry, editable=editable))
        blocks.append(SiteBlock(measure=measure, total=totals.get(measure.pk), rows=rows,
                                reported=reported.get(measure.pk, 0), sites=n_sites))
    return blocks


def site_entries(blocks: list[SiteBlock]) -> list[SiteEntry]:
    """What the person entered for the sites they may enter."""
    return [SiteEntry(r.unit, r.entry) for b in blocks for r in b.rows if r.editable]


def attach_site_issues(blocks: list[SiteBlock], issues: list[Issue]) -> list[Issue]:
    """Put each site issue on its row (issues name the site where a stratum is named);
    returns the others."""
    by_key = {(r.measure.code, r.unit.name): r for b in blocks for r in b.rows}
    loose = []
    for issue in localize(issues):  # in the reader's language
        row = by_key.get((issue.measure_code, issue.stratum))
        if row is None:
            loose.append(issue)
        else:
            row.issues.append(issue)
    return loose


@dataclass
class EntryForm:
    """A team-period's form as one person sees it: the team's rows (measures reported as a
    team) and the by-site blocks; ``team_editable``: may they change the team's rows."""

    rows: list[Row]
    blocks: list[SiteBlock]
    team_editable: bool


def entry_form(user: AnyUser, submission: Submission, measures: list[Measure],
               data: QueryDict | None = None) -> EntryForm:
    """The form's rows for this person: site staff see and enter their own site only."""
    team = submission.team
    by_site = {m.pk for m in site_measures(team)}
    rows = build_rows(submission, [m for m in measures if m.pk not in by_site], data)
    units = list(access.visible_units(user, team))
    enterable = set(access.enterable_units(user, team).values_list("pk", flat=True)) \
        if access.can(user, Action.ENTER_DATA, team) else set()
    blocks = build_site_blocks(submission, [m for m in measures if m.pk in by_site], units,
                               enterable, data)
    return EntryForm(rows, blocks, access.can(user, Action.ENTER_TEAM_VALUES, team))
