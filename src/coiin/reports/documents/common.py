"""What the team, learning-network and national reports share: reading values into plain
JSON and back, data completeness and timeliness, the fonts shipped with the app, drawing
the charts, and helpers for the XLSX sheets (openpyxl is imported when a sheet is made, not
by a process that makes a PDF)."""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import vl_convert as vlc
from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_language, gettext

if TYPE_CHECKING:
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

from coiin.charts.building import Observation, TeamChart, build
from coiin.charts.pooled import phases_sentence, pool_phases
from coiin.charts.spec_language import in_language
from coiin.improvement.whatworks import ORDER, Verdict, what_works
from coiin.measures.models import DataValue, Measure, Submission, TeamMeasure
from coiin.measures.periods import Frequency, Period, periods_between
from coiin.network.models import Jurisdiction, LearningNetwork, Team, TeamMembership

from .. import membership

FONTS = Path(__file__).resolve().parents[1] / "fonts"  # reports/fonts, shipped with the app
MEASURE_FIELDS = ("code", "name", "type", "multiplier", "unit", "direction", "frequency",
                  "national_target", "stratification", "data_source")


def num(v: Decimal | None) -> str | None:
    return None if v is None else f"{v.normalize():f}"


def date(d: dt.date | None) -> str | None:
    return None if d is None else d.isoformat()


def flt(text: str | None) -> float | None:
    return None if text is None else float(text)


def font_faces() -> str:
    """@font-face rules for the DejaVu Sans files shipped in reports/fonts (file:// URLs),
    so a PDF looks the same whatever fonts the server has."""
    faces = [("DejaVuSans.ttf", "normal", "normal"), ("DejaVuSans-Bold.ttf", "bold", "normal"),
             ("DejaVuSans-Oblique.ttf", "normal", "italic"),
             ("DejaVuSans-BoldOblique.ttf", "bold", "italic")]
    return "\n".join(
        f'@font-face {{ font-family: "CoIIN Sans"; src: url("{(FONTS / name).as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}" for name, weight, style in faces)


# -- measures and values as JSON ---------------------------------------------------------


def measure_json(m: Measure) -> dict[str, Any]:
    return {f: (num(getattr(m, f)) if f == "national_target" else getattr(m, f))
            for f in MEASURE_FIELDS}


def measure_from(spec: dict[str, Any]) -> Measure:
    fields = dict(spec)
    if fields["national_target"] is not None:
        fields["national_target"] = Decimal(fields["national_target"])
    return Measure(**fields)


def read_values(teams: list[int], measures: list[Measure], end: dt.date) -> list[list[Any]]:
    """Shown totals of these teams and measures up to ``end``, as
    [team id, code, period start, numerator, denominator, value, final, status]: one query."""
    rows = (DataValue.objects.filter(submission__team_id__in=teams, measure__in=measures,
                                     stratum__isnull=True,
                                     submission__status__in=Submission.SHOWN_STATUSES,
                                     submission__period_start__lte=end)
            .values_list("submission__team_id", "measure__code", "submission__period_start",
                         "numerator", "denominator", "value", "submission__is_final",
                         "submission__status")
            .order_by("measure__code", "submission__team_id", "submission__period_start"))
    return [[t, code, date(start), num(n), num(d), num(v), final, status]
            for t, code, start, n, d, v, final, status in rows]


def series(values: list[list[Any]], measure: Measure) -> dict[int, list[Observation]]:
    """One measure's observations per team, oldest first, from stored value rows."""
    return series_by_measure(values, [measure])[measure.code]


def series_by_measure(values: list[list[Any]], measures: list[Measure]
                      ) -> dict[str, dict[int, list[Observation]]]:
    """Every measure's observations per team (as ``series``), in one pass over the rows."""
    freq = {m.code: Frequency(m.frequency) for m in measures}
    out: dict[str, dict[int, list[Observation]]] = {code: defaultdict(list) for code in freq}
    for team_id, code, start, n, d, v, final, _status in values:
        if code in freq:
            out[code][team_id].append(Observation(
                Period(dt.date.fromisoformat(start), freq[code]), flt(n), flt(d), flt(v),
                final))
    return out


def provisional(values: list[list[Any]], names: dict[int, str],
                measures: list[Measure]) -> list[str]:
    """'Georgia SS-CRIB 2016-04' for each value that was not final, sorted."""
    freq = {m.code: Frequency(m.frequency) for m in measures}
    out = sorted((names.get(team_id, str(team_id)), code, start)
                 for team_id, code, start, *_rest, final, _status in values
                 if not final and code in freq)
    return [f"{team} {code} {Period(dt.date.fromisoformat(start), freq[code]).label}"
            for team, code, start in out]


# -- charts and what works --------------------------------------------------------------


def pooled_chart(network: LearningNetwork, measure: Measure,
                 by_team: dict[int, list[Observation]], what: str = "teams"
                 ) -> tuple[TeamChart | None, dict[str, int]]:
    """The pooled chart of a rate: numerators and denominators summed per period over the
    teams that reported both (never a mean of rates), and how many teams each period
    pooled, by period label. None for a measure that is not a rate. Each period where the
    number pooled changes is marked on the chart (``membership_note`` says it in words)."""
    if measure.type != Measure.Type.RATIO or measure.multiplier == 1:
        return None, {}
    sums: dict[Period, list[float]] = {}
    count: dict[Period, int] = defaultdict(int)
    for obs in by_team.values():
        for o in obs:
            if o.numerator is None or not o.denominator:
                continue
            s = sums.setdefault(o.period, [0.0, 0.0])
            s[0] += o.numerator
            s[1] += o.denominator
            count[o.period] += 1
    pooled = [Observation(p, s[0], s[1], None, True) for p, s in sorted(sums.items())]
    if not pooled:
        return None, {}
    stand_in = Team(jurisdiction=None, learning_network=network)  # not saved: a label only
    found = membership.changes([(p.start, p.label, n) for p, n in sorted(count.items())])
    # Where the set changes for good, a new phase (as on the national page).
    phases = pool_phases(measure, [(p.start, n) for p, n in sorted(count.items())], what)
    starts = {ph.starts for ph in phases}
    return (build(stand_in, measure, pooled, phases=phases, markers=membership.markers(
        [c for c in found if c.on not in starts], what)),
        {p.label: n for p, n in sorted(count.items())})


def membership_note(contributors: dict[str, int], what: str = "teams",
                    measure: Measure | None = None) -> str:
    """Where the number pooled changes, in words ('' when it never does), with the
    phases the pooled chart of ``measure`` starts there."""
    counts = list(contributors.items())
    found = [membership.Change(dt.date.min, label, counts[i - 1][1], n)
             for i, (label, n) in enumerate(counts) if i and n != counts[i - 1][1]]
    if not counts:
        return ""
    dated = [(Period.parse(label).start, label, n) for label, n in counts]
    phases = [] if measure is None else pool_phases(measure, [(on, n) for on, _, n in dated],
                                                    what)
    starts = {ph.starts for ph in phases}
    told = phases_sentence(phases, [label for on, label, _ in dated if on in starts])
    return f"{membership.sentence(found, counts[0][1], what)} {told}".strip()


# The reports' own font (``font_faces``) first in the charts' font stack: the PDF draws the
# charts' text in the same shipped font as the rest of the page, whatever fonts the server
# has, and embeds one font family instead of two. The chart renderer does not know it and
# measures the text with the next font of the stack, as before; a browser showing the HTML
# report falls back to that font too.
CHART_FONT = "CoIIN Sans"


def _time_locale() -> dict[str, str]:
    """Month names in the report's language on the charts' time axes (vl-convert's own
    locales; English is its default)."""
    language = (get_language() or "en")[:2]
    return {"time_format_locale": "es-ES"} if language == "es" else {}


def svg(spec: dict[str, Any] | None, width: int = 600, height: int = 200) -> str:
    """The chart as SVG: one image named by the chart's description (or title), its marks
    not announced one by one (the report prints the figures beside it)."""
    if not spec:
        return ""
    spec = in_language(spec) or spec
    config = {**spec.get("config", {}), "aria": False}
    if config.get("font"):
        config["font"] = f"{CHART_FONT}, {config['font']}"
    drawn = vlc.vegalite_to_svg({**spec, "width": width, "height": height, "config": config},
                                **_time_locale())
    title = spec.get("title")
    name = spec.get("description") or (title.get("text") if isinstance(title, dict) else title)
    drawn = _MARK_ROLES.sub("", drawn)
    label = escape(str(name or gettext("Chart")))
    return drawn.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


# Vega's roles for groups and marks, left on layered charts even with ARIA off.
_MARK_ROLES = re.compile(r'\s(?:role="graphics-[a-z]+"|aria-roledescription="[^"]*")')


@contextmanager
def fewer_collections(threshold: int = 50_000) -> Iterator[None]:
    """Run the cyclic garbage collector less often while a report is made: reading its
    inputs and laying out its PDF allocate millions of short-lived objects, and with the
    default threshold (700) the collections took a tenth of the national report's time.
    Nothing is kept from being collected; the thresholds are restored after."""
    before = gc.get_threshold()
    gc.set_threshold(max(threshold, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def works_json(networks: Sequence[LearningNetwork], end: dt.date) -> list[dict[str, Any]]:
    """What works (improvement app), as JSON: each change idea with the adoptions that began
    by ``end`` and each one's verdict per measure."""
    out = []
    for result in what_works(networks):
        adoptions = [a for a in result.adoptions if a.adoption.adopted_on <= end]
        if not adoptions:
            continue
        out.append({"idea": result.idea.title, "network": result.idea.learning_network.slug,
                    "adoptions": [{
                        "team_id": a.team.pk, "team": a.team.jurisdiction.name,
                        "adopted_on": date(a.adoption.adopted_on), "verdict": a.verdict.value,
                        "measures": [[r.measure.code, r.outcome.verdict.value, r.outcome.reason]
                                     for r in a.results]} for a in adoptions]})
    return out


def effects_json(networks: Sequence[LearningNetwork]) -> list[dict[str, Any]]:
    """The network's estimate of each change idea's effect on its primary measure, as the
    what-works pages show it (improvement app, ``effects``), best evidence first."""
    from coiin.improvement import effects  # the estimator (and scipy) only when read

    out = []
    for r in effects.evidence_for(networks):
        row: dict[str, Any] = {"idea": r.idea.title, "network": r.idea.learning_network.slug}
        e = r.primary
        if e is None:
            row.update({"verdict": None, "label": gettext("No primary measure yet")
                        if r.needs_choice else gettext("No measure linked"), "sentence": ""})
        else:
            est = e.estimate
            row.update({
                "measure": e.measure.code, "verdict": est.verdict.value, "label": e.label,
                "sentence": e.sentence, "estimate": e.shown_estimate, "ci": e.shown_ci,
                "units": e.units, "adopters": est.adopters, "comparison": est.comparison,
                "sustained": e.sustained, "cautions": e.cautions,
                "q_value": getattr(est, "q_value", None)})
        out.append(row)
    return out


def works_rows(works: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Change ideas ranked: most teams whose improvement followed and held first."""
    rows = []
    for w in works:
        counts = dict.fromkeys(Verdict, 0)
        for a in w["adoptions"]:
            counts[Verdict(a["verdict"])] += 1
        rows.append({"idea": w["idea"], "network": w["network"], "teams": len(w["adoptions"]),
                     "counts": [(v.label, counts[v]) for v in ORDER],
                     "sustained": counts[Verdict.SUSTAINED],
                     "sustained_teams": sorted(a["team"] for a in w["adoptions"]
                                               if a["verdict"] == Verdict.SUSTAINED),
                     "too_early": counts[Verdict.TOO_EARLY]})
    return sorted(rows, key=lambda r: (-r["sustained"], -r["too_early"], -r["teams"],
                                       r["idea"]))


# -- teams, participation and completeness ----------------------------------------------


def read_teams(teams: list[Team]) -> list[dict[str, Any]]:
    """Each team's jurisdiction, network, start, members and reporting frequencies: the
    teams are read by the caller; this adds two queries however many teams."""
    ids = [t.pk for t in teams]
    members = dict(TeamMembership.objects.filter(team_id__in=ids).values("team_id")
                   .annotate(n=Count("user", distinct=True)).values_list("team_id", "n"))
    freqs: dict[int, set[str]] = defaultdict(set)
    for team_id, freq in TeamMeasure.objects.filter(team_id__in=ids, active=True).values_list(
            "team_id", "measure__frequency"):
        freqs[team_id].add(freq)
    return [{"id": t.pk, "jurisdiction": t.jurisdiction.name,
             "postal": t.jurisdiction.postal_code, "network": t.learning_network.slug,
             "joined_on": date(t.joined_on), "members": members.get(t.pk, 0),
             "frequencies": sorted(freqs[t.pk])} for t in teams]


def read_submissions(teams: list[int], end: dt.date) -> list[list[Any]]:
    """[team id, frequency, period start, status, submitted on] up to ``end``: one query."""
    rows = (Submission.objects.filter(team_id__in=teams, period_start__lte=end)
            .values_list("team_id", "frequency", "period_start", "status", "submitted_at")
            .order_by("team_id", "frequency", "period_start"))
    tz = timezone.get_current_timezone()  # as timezone.localtime, looked up once
    return [[t, f, date(start), status, date(at.astimezone(tz).date()) if at else None]
            for t, f, start, status, at in rows]


def reporting_rules() -> dict[str, int]:
    return {"due_days": settings.REPORTING_DUE_DAYS}


@dataclass
class Completeness:
    due: int = 0
    submitted: int = 0
    on_time: int = 0

    @property
    def share_submitted(self) -> float | None:
        return self.submitted / self.due if self.due else None

    @property
    def share_on_time(self) -> float | None:
        return self.on_time / self.due if self.due else None

    def __add__(self, other: Completeness) -> Completeness:
        return Completeness(self.due + other.due, self.submitted + other.submitted,
                            self.on_time + other.on_time)


Statuses = dict[int, dict[tuple[str, str], tuple[str, str | None]]]


def index_submissions(submissions: list[list[Any]]) -> Statuses:
    """Stored submission rows by team, then (frequency, period start): (status, submitted on)."""
    out: Statuses = defaultdict(dict)
    for t, f, start, status, on in submissions:
        out[t][(f, start)] = (status, on)
    return out


def completeness(team: dict[str, Any], statuses: Statuses, last: Period,
                 read_on: dt.date, due_days: int) -> Completeness:
    """Of the periods due from the team's start to the report's last period (a period is due
    once its due date has passed on the day the data were read): how many were submitted
    (submitted, reviewed or locked), and how many of those on or before their due date."""
    shown = set(Submission.SHOWN_STATUSES)
    mine = statuses.get(team["id"], {})
    result = Completeness()
    joined = dt.date.fromisoformat(team["joined_on"])
    for f in team["frequencies"]:
        freq = Frequency(f)
        first = Period.containing(joined, freq)
        for start, due in _due_periods(first, last, read_on, due_days):
            result.due += 1
            status, on = mine.get((f, start), (None, None))
            if status in shown:
                result.submitted += 1
                if on is not None and dt.date.fromisoformat(on) <= due:
                    result.on_time += 1
    return result


@lru_cache(maxsize=4096)
def _due_periods(first: Period, last: Period, read_on: dt.date, due_days: int
                 ) -> tuple[tuple[str, dt.date], ...]:
    """(period start, due date) of each period due from ``first`` on: the same for every
    team that joined in the same period, so worked out once."""
    final = Period.containing(last.end, first.frequency)
    if final.end > last.end:
        final = final.previous()
    if final < first:
        return ()
    return tuple((p.start.isoformat(), due) for p in periods_between(first, final)
                 if (due := p.due_date(due_days)) <= read_on)


def team_objects(teams: list[dict[str, Any]],
                 network: LearningNetwork | None = None) -> dict[int, Team]:
    """Unsaved stand-ins for the stored teams: labels for charts and funnels."""
    return {t["id"]: Team(pk=t["id"], jurisdiction=Jurisdiction(
        name=t["jurisdiction"], postal_code=t["postal"]), learning_network=network)
        for t in teams}


# -- XLSX ------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def bold() -> Font:
    """Bold cells (headers and titles)."""
    from openpyxl.styles import Font

    return Font(bold=True)


def sheet_table(sheet: Worksheet, header: list[str], rows: list[list[Any]],
                formats: dict[int, str] | None = None) -> None:
    """A header row and data rows; ``formats`` maps a 1-based column to a number format."""
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = bold()
    for row in rows:
        sheet.append(row)
        for col, fmt in (formats or {}).items():
            cell = sheet.cell(sheet.max_row, col)
            if isinstance(cell.value, int | float):
                cell.number_format = fmt
    for i, title in enumerate(header, start=1):
        width = max([len(str(title))] + [len(str(r[i - 1])) for r in rows
                                          if i - 1 < len(r) and r[i - 1] is not None])
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(width + 2, 60)

