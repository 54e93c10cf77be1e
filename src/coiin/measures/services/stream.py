"""The import of many values, streamed and set-based: the one path by which files, the
CLI, the API, the upload page and generated data store rows of values.

``import_stream`` takes an iterable of ``ValueIn`` (a generator is consumed a chunk at a
time, so memory does not grow with the file) and, in one transaction:

* checks each chunk in bulk: every value as a page save checks it (``check_value``,
  with the jump check against each team's shown history read once per chunk), the
  team-period's status, closed periods (``check_closed``), the team's chosen measures;
  strata against their totals and repeated rows across the whole file;
* compares with what is stored (one query per chunk): an identical row is a no-op, so
  storing the same rows again changes nothing and writes no history;
* writes new, changed and cleared values with their simple-history records through
  ``ValueWriter`` (``COPY`` on PostgreSQL, ``executemany`` on SQLite); new team-periods
  are born at version 1 and the others written to get a new version, so an edit opened
  before the import meets a conflict;
* is all or nothing: after the first error nothing more is written, every row is still
  checked so that every bad row is listed, and ImportRefused undoes what was written.
"""

from __future__ import annotations

import datetime as dt
import itertools
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from coiin.network.models import ReportingUnit, Team, User
from coiin.network.services import RowError

from .. import messages
from ..catalog import FROM_VITALS
from ..changes import values_changed
from ..messages import localize, strata_sum_text
from ..models import DataValue, Measure, SiteValue, Stratum, Submission, TeamMeasure
from ..official import cells as official_cells
from ..periods import Frequency, Period
from ..samples import parse_measurements
from ..validation import NUMBER_FIELDS, check_sampled, check_value
from .bulk import REASON_CHARS, ImportRefused, ImportResult, ValueRow
from .reporting import closes_on, is_closed
from .rollup import roll_up
from .sites import site_problem, stored_site_values
from .writer import CONFIRMED, SITE_CONFIRMED, VALUE_COLUMNS, ValueTuple, ValueWriter, same

CHUNK = 5000  # rows checked and written together
NUMBERS = ("numerator", "denominator", "value")  # what strata add up, and what sites store
BLANK = (None,) * len(NUMBER_FIELDS)
_FREQUENCIES = {f.value: i for i, f in enumerate(Frequency)}

Numbers = tuple[Decimal | None, ...]
Checked = tuple["ValueIn", "SubmissionKey", Numbers, bool]

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: stage "checked" (nothing is written, e.g. after an
error or on a dry run) or "wrote"; ``total`` is the caller's hint, else 0."""


class ValueIn(NamedTuple):
    """One row to store: a team's measure in a period, in total or for one stratum.

    Numbers are text as given (or Decimals); a text answer is in ``text``; all blank
    clears a stored value. ``number`` is the row errors and warnings name.
    """

    number: int
    team: Team
    measure: Measure
    period: Period
    stratum: Stratum | None
    numerator: str | Decimal | None
    denominator: str | Decimal | None
    value: str | Decimal | None
    text: str = ""
    comment: str = ""
    unit: ReportingUnit | None = None  # a site's value, rolled up to the team's
    # A survey measure's estimate (in ``value``) comes with these (``SURVEY_FIELDS``).
    standard_error: str | Decimal | None = None
    ci_lower: str | Decimal | None = None
    ci_upper: str | Decimal | None = None
    sample_size: str | Decimal | None = None
    measurements: str = ""  # a sampled measure's measurements, as given ("21; 14; 35")


def import_stream(rows: Iterable[ValueIn], *, user: User | None, reason: str = "import",
                  check_closed: bool = True, today: dt.date | None = None,
                  dry_run: bool = False, progress: Progress | None = None,
                  errors: list[RowError] | None = None, total: int = 0,
                  chunk: int = CHUNK, check_repeats: bool = True,
                  warn: bool = True) -> ImportResult:
    """Check rows of values and store them, all or nothing.

    ``errors`` may be shared with the caller's reader: errors it appends while ``rows``
    is being read stop the writing too, and are raised with the others. With
    ``check_closed`` (people other than backbone staff) a period past its closing day is
    refused. ``check_repeats`` finds a (team, measure, period, stratum) given twice (20
    bytes a row; a generator known to repeat nothing may skip it). Without ``warn`` no
    warnings are kept (nor the teams' history read for the jump check): for generated
    data of any size. Raises ImportRefused
    listing every bad row; nothing is written then, nor on a dry run. ``user`` is
    recorded as the author in the history.
    """
    run = _Run(errors if errors is not None else [], user=user, check_closed=check_closed,
               today=today, dry_run=dry_run, check_repeats=check_repeats, warn=warn)
    try:
        with transaction.atomic():
            run.start(reason[:REASON_CHARS])
            it = iter(rows)
            while batch := list(itertools.islice(it, chunk)):
                run.chunk(batch)
                if progress is not None:
                    progress("wrote" if run.writing else "checked", run.result.rows, total)
            run.finish()
    except IntegrityError:
        raise ImportRefused([RowError(1, "file", gettext(
            "someone else stored some of these values while the file was imported; nothing "
            "was stored, try again"))]) from None
    return run.result


def import_values(*, rows: Sequence[ValueRow], user: User | None, reason: str = "import",
                  check_closed: bool = True, today: dt.date | None = None,
                  dry_run: bool = False, progress: Progress | None = None) -> ImportResult:
    """``import_stream`` for rows resolved as ``ValueRow`` (each with its Entry)."""
    return import_stream(
        (ValueIn(r.number, r.team, r.measure, r.period, r.stratum, r.entry.numerator,
                 r.entry.denominator, r.entry.value, r.entry.text, r.entry.comment, None,
                 r.entry.standard_error, r.entry.ci_lower, r.entry.ci_upper,
                 r.entry.sample_size, r.entry.measurements)
         for r in rows),
        user=user, reason=reason, check_closed=check_closed, today=today, dry_run=dry_run,
        progress=progress, total=len(rows))


SubmissionKey = tuple[int, str, dt.date]
_Stored = tuple[int, str, "dt.date | None"]  # a team-period's id, status and open-until day


@dataclass
class _Sum:
    """A stratified measure's total and the sums of its strata, for one team-period."""

    totals: int = 0
    total_row: int = 0
    total: tuple[Decimal | None, ...] = (None, None, None)
    strata: int = 0
    sums: list[Decimal | None] = field(default_factory=lambda: [Decimal(0)] * 3)


@dataclass
class _Run:
    errors: list[RowError]
    user: User | None
    check_closed: bool
    today: dt.date | None
    dry_run: bool
    check_repeats: bool
    warn: bool
    result: ImportResult = field(default_factory=ImportResult)
    writer: ValueWriter | None = None
    site_writer: ValueWriter | None = None
    chosen: dict[tuple[int, int], bool] = field(default_factory=dict)  # -> by site
    site_keys: set[tuple[int, int, int | None]] = field(default_factory=set)
    now: dt.datetime = field(default_factory=timezone.now)
    new_keys: set[SubmissionKey] = field(default_factory=set)
    created_ids: set[int] = field(default_factory=set)
    touched: set[int] = field(default_factory=set)
    changed_pairs: set[tuple[int, int]] = field(default_factory=set)
    sums: dict[tuple[SubmissionKey, int, int | None], _Sum] = field(default_factory=dict)
    keys: list[tuple[np.ndarray, ...]] = field(default_factory=list)
    repeated_in_chunk: bool = False
    labels: dict[Period, str] = field(default_factory=dict)

    @property
    def writing(self) -> bool:
        return self.writer is not None and not self.errors and not self.repeated_in_chunk

    def start(self, reason: str) -> None:
        self.result.dry_run = self.dry_run
        if not self.dry_run:
            user_id = self.user.pk if self.user else None
            self.writer = ValueWriter(user_id=user_id, reason=reason, now=self.now)
            self.site_writer = ValueWriter(user_id=user_id, reason=reason, now=self.now,
                                           model=SiteValue)
        self.chosen = {(t, m): by_site for t, m, by_site in TeamMeasure.objects.filter(
            active=True).values_list("team_id", "measure_id", "by_site")}

    # -- one chunk -----------------------------------------------------------------------

    def chunk(self, rows: list[ValueIn]) -> None:
        self.result.rows += len(rows)
        if self.check_repeats:
            self._remember_keys(rows)
        checked = self._check(rows)
        submissions = self._submissions(rows)
        stored = self._stored(submissions)
        sites = stored_site_values([s[0] for s in submissions.values()]) if submissions and any(
            r.unit is not None for r in rows) else {}
        creates: list[tuple[SubmissionKey, ValueTuple]] = []
        changes: list[tuple[int, str, ValueTuple]] = []
        deletes: list[ValueTuple] = []
        site_creates: list[tuple[SubmissionKey, ValueTuple]] = []
        site_changes: list[tuple[int, str, ValueTuple]] = []
        site_deletes: list[ValueTuple] = []
        closed: dict[SubmissionKey, bool] = {}
        held = _official_in(rows)
        result, chosen, draft = self.result, self.chosen, Submission.Status.DRAFT
        for r, key, numbers, bad in checked:
            sub = submissions.get(key)
            stratum_id = r.stratum.id if r.stratum is not None else None
            unit_id = r.unit.id if r.unit is not None else None
            if unit_id is None:
                current = stored.get((sub[0], r.measure.id, stratum_id)) if sub else None
            else:
                current = sites.get((sub[0], unit_id, r.measure.id, stratum_id)) if sub else None
            text, comment = r.text.strip(), r.comment.strip()
            samples = parse_measurements(r.measurements) if not bad and r.measure.is_sampled else []
            blank = numbers == BLANK and not text
            if not bad:
                if blank and current is None:
                    result.unchanged += 1
                    continue
                if current is not None and not blank and same(current, numbers, text,
                                                                comment, unit_id is not None,
                                                                samples):
                    result.unchanged += 1
                    continue
            failed = False
            if sub is not None and sub[1] != draft:
                self._error(r.number, "period", messages.not_draft(
                    self._unsaved(r), Submission.Status(sub[1]).label.lower()))
                failed = True
            elif self.check_closed:
                if key not in closed:
                    closed[key] = is_closed(self._unsaved(r, sub), self.today)
                if closed[key]:
                    self._error(r.number, "period", messages.closed_on(
                        self._unsaved(r), closes_on(self._unsaved(r, sub))))
                    failed = True
            by_site = chosen.get((r.team.id, r.measure.id))
            if by_site is None:
                self._error(r.number, "measure", messages.not_chosen(r.team, r.measure.code))
                failed = True
            elif by_site or unit_id is not None:
                problem = site_problem(r.team, r.measure, by_site, r.unit)
                if problem:
                    self._error(r.number, "site", problem)
                    failed = True
            if (r.team.jurisdiction_id, r.measure.code, r.period) in held:
                self._error(r.number, "measure", messages.official_figure(
                    r.measure.code, r.period.label, r.team.jurisdiction))
                failed = True
            if failed or bad:
                continue
            self.changed_pairs.add((r.team.id, r.measure.id))
            if sub is None:
                self.new_keys.add(key)
            elif sub[0] not in self.created_ids:
                self.touched.add(sub[0])
            if unit_id is not None:
                if blank:
                    site_deletes.append(current)  # type: ignore[arg-type]
                elif current is None:
                    site_creates.append((key, (unit_id, r.measure.id, stratum_id,
                                               *numbers[:3], samples, comment)))
                else:
                    site_changes.append((current[0], current[SITE_CONFIRMED],
                                         (sub[0], unit_id, r.measure.id,  # type: ignore[index]
                                          stratum_id, *numbers[:3], samples, comment)))
            elif blank:
                deletes.append(current)  # type: ignore[arg-type]
            elif current is None:
                creates.append((key, (r.measure.id, stratum_id, *numbers, text, samples,
                                      comment)))
            else:
                changes.append((current[0], current[CONFIRMED],
                                (sub[0], r.measure.id, stratum_id,  # type: ignore[index]
                                 *numbers, text, samples, comment)))
        result.created += len(creates) + len(site_creates)
        result.changed += len(changes) + len(site_changes)
        result.deleted += len(deletes) + len(site_deletes)
        if self.writing:
            assert self.writer is not None and self.site_writer is not None
            ids = self._create_submissions({k for k, _ in creates + site_creates
                                            if k not in submissions})
            ids.update({k: sub[0] for k, sub in submissions.items()})
            self.writer.insert([(ids[k], *v) for k, v in creates])
            self.writer.update(changes)
            self.writer.delete(deletes)
            site_rows = [(ids[k], *v) for k, v in site_creates]
            self.site_writer.insert(site_rows)
            self.site_writer.update(site_changes)
            self.site_writer.delete(site_deletes)
            # The teams' figures of these are their sites' sums, recomputed at the end.
            self.site_keys.update((v[0], v[2], v[3]) for v in site_rows)
            self.site_keys.update((v[1], v[3], v[4]) for v in site_deletes)
            self.site_keys.update((v[0], v[2], v[3]) for _, _, v in site_changes)

    def _check(self, rows: list[ValueIn]) -> list[Checked]:
        """Each row checked as a page save checks it; errors and warnings recorded."""
        history = _history(rows) if self.warn else {}
        out: list[Checked] = []
        warnings, labels = self.result.warnings, self.labels
        for r in rows:
            m, stratum, period = r.measure, r.stratum, r.period
            freq = period.frequency.value
            key = (r.team.id, freq, period.start)
            label = labels.get(period)
            if label is None:
                label = labels[period] = period.label
            earlier: Sequence[float] = ()
            series = None if r.unit is not None else history.get(
                (r.team.id, freq, m.id, stratum.id if stratum else None))
            if series is not None:
                earlier = series[1][:bisect_left(series[0], period.start)]
            if m.is_sampled or r.measurements.strip():
                parsed, issues = check_sampled(m, label, stratum, r.numerator, r.denominator,
                                               r.value, r.measurements, r.number)
            else:
                parsed, issues = check_value(m, label, stratum, r.numerator, r.denominator,
                                             r.value, r.text, r.number, earlier,
                                             survey=(r.standard_error, r.ci_lower,
                                                     r.ci_upper, r.sample_size))
            bad = False
            for issue in localize(issues):  # in the importing person's language
                row_error = RowError(issue.row or 1, issue.field, issue.message)
                if issue.level == "error":
                    self.errors.append(row_error)
                    bad = True
                elif self.warn:
                    warnings.append(row_error)
            numbers: Numbers = tuple(parsed[name] for name in NUMBER_FIELDS)
            if numbers[-1] is not None and not bad:
                numbers = (*numbers[:-1], int(numbers[-1]))  # type: ignore[arg-type]
            # A stratum's survey estimate (or mean) is not a part of the total's.
            if m.stratification and m.strata_sum_to_total and not (
                    m.is_survey or m.is_sampled) and (numbers != BLANK or r.text.strip()):
                self._add_to_sum((key, m.id, r.unit.id if r.unit else None), r.number,
                                 stratum, numbers[:3])
            out.append((r, key, numbers, bad))
        return out

    def _add_to_sum(self, key: tuple[SubmissionKey, int, int | None], number: int,
                    stratum: Stratum | None, numbers: tuple[Decimal | None, ...]) -> None:
        s = self.sums.get(key)
        if s is None:
            s = self.sums[key] = _Sum()
        if stratum is None:
            s.totals += 1
            s.total_row, s.total = number, numbers
            return
        s.strata += 1
        for i, n in enumerate(numbers):
            acc = s.sums[i]
            s.sums[i] = None if n is None or acc is None else acc + n

    def _remember_keys(self, rows: list[ValueIn]) -> None:
        a = np.fromiter(((r.team.id << 32) | r.measure.id for r in rows), np.int64, len(rows))
        b = np.fromiter((((r.stratum.id if r.stratum else 0) << 32)
                         | (_FREQUENCIES[r.period.frequency.value] << 24)
                         | r.period.start.toordinal() for r in rows), np.int64, len(rows))
        c = np.fromiter((r.unit.id if r.unit is not None else 0 for r in rows), np.int64, len(rows))
        numbers = np.fromiter((r.number for r in rows), np.int64, len(rows))
        self.keys.append((a, b, c, numbers))
        if len(set(zip(a.tolist(), b.tolist(), c.tolist(), strict=True))) < len(rows):
            self.repeated_in_chunk = True  # listed at the end; nothing more is written

    def _submissions(self, rows: list[ValueIn]) -> dict[SubmissionKey, _Stored]:
        """The chunk's existing team-periods, locked for update:
        (id, status, open until) by (team, frequency, period start)."""
        starts = [r.period.start for r in rows]
        return {
            (t, f, start): (pk, status, open_until)
            for pk, t, f, start, status, open_until in Submission.objects.select_for_update()
            .filter(team_id__in={r.team.id for r in rows}, period_start__gte=min(starts),
                    period_start__lte=max(starts))
            .values_list("pk", "team_id", "frequency", "period_start", "status", "open_until")
        }

    def _stored(self, submissions: dict[SubmissionKey, _Stored]
                ) -> dict[tuple[int, int, int | None], ValueTuple]:
        if not submissions:
            return {}
        return {(v[1], v[2], v[3]): v for v in DataValue.objects.filter(
            submission_id__in=[s[0] for s in submissions.values()]).order_by()
            .values_list(*VALUE_COLUMNS)}

    def _unsaved(self, r: ValueIn, stored: _Stored | None = None) -> Submission:
        """The row's team-period as a model, for its name and closing day."""
        return Submission(team=r.team, frequency=r.period.frequency.value,
                          period_start=r.period.start,
                          open_until=stored[2] if stored is not None else None)

    def _create_submissions(self, keys: set[SubmissionKey]) -> dict[SubmissionKey, int]:
        """New draft team-periods, born at version 1 as a page save leaves them."""
        assert self.writer is not None
        ids = self.writer.submissions(keys)
        self.created_ids.update(ids.values())
        return ids

    def _error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    # -- the whole file ------------------------------------------------------------------

    def finish(self) -> None:
        """File-wide checks, then the team-periods' versions; raises when anything failed."""
        for s in self.sums.values():
            if s.totals != 1 or not s.strata:
                continue
            for name, want, got in zip(NUMBERS, s.total, s.sums, strict=True):
                if want is not None and got is not None and got != want:
                    self._error(s.total_row, name, strata_sum_text(got, want))
        self._repeats()
        self.result.submissions_created = len(self.new_keys)
        self.result.warnings.sort(key=lambda w: w.row)
        if self.errors:
            self.errors.sort(key=lambda e: e.row)
            raise ImportRefused(self.errors, self.result.warnings)
        if self.writer is None:
            return
        if self.site_keys:
            # The one roll-up rule (rollup.py), as the site entry form uses it.
            roll_up({k[0] for k in self.site_keys}, {k[1] for k in self.site_keys},
                    user=self.user, reason=self.writer.reason)
        ids = sorted(self.touched)
        self.result.submission_ids = sorted(self.touched | self.created_ids)
        for start in range(0, len(ids), 500):
            Submission.objects.filter(pk__in=ids[start:start + 500]).update(
                version=F("version") + 1, updated_at=self.now)
        values_changed(self.changed_pairs)

    def _repeats(self) -> None:
        if not self.keys:
            return
        a, b, c, numbers = (np.concatenate(parts) for parts in zip(*self.keys, strict=True))
        self.keys = []
        order = np.lexsort((numbers, c, b, a))
        a, b, c, numbers = a[order], b[order], c[order], numbers[order]
        same = np.zeros(len(a), dtype=bool)
        same[1:] = (a[1:] == a[:-1]) & (b[1:] == b[:-1]) & (c[1:] == c[:-1])
        if not same.any():
            return
        # Each repeat names the first row of its run; the repeats are checked no further.
        first = numbers[np.maximum.accumulate(np.where(same, 0, np.arange(len(a))))]
        repeats = {int(n): int(f) for n, f, s in zip(numbers, first, same, strict=True) if s}
        self.errors[:] = [e for e in self.errors if e.row not in repeats]
        self.result.warnings[:] = [w for w in self.result.warnings if w.row not in repeats]
        self.errors.extend(RowError(n, "measure", messages.repeats_row(f))
                           for n, f in repeats.items())


def _history(rows: list[ValueIn]) -> dict[tuple[Any, ...], tuple[list[dt.date], list[float]]]:
    """Shown results per (team, frequency, measure, stratum), oldest first, before the
    chunk's last period: ``results_before`` for every row of the chunk in one query."""
    numeric = {r.measure.id: r.measure for r in rows
               if r.measure.type in (Measure.Type.RATIO, Measure.Type.COUNT)}
    out: dict[tuple[Any, ...], tuple[list[dt.date], list[float]]] = {}
    if not numeric:
        return out
    values = (
        DataValue.objects.filter(submission__team_id__in={r.team.id for r in rows},
                                 measure_id__in=set(numeric),
                                 submission__status__in=Submission.SHOWN_STATUSES,
                                 submission__period_start__lt=max(r.period.start for r in rows))
        .order_by("submission__period_start")
        .values_list("submission__team_id", "submission__frequency",
                     "submission__period_start", "measure_id", "stratum_id", "numerator",
                     "denominator", "value")
    )
    for team_id, frequency, start, measure_id, stratum_id, num, den, value in values:
        result = numeric[measure_id].result_of(num, den, value)
        if result is None:
            continue
        dates, results = out.setdefault((team_id, frequency, measure_id, stratum_id), ([], []))
        dates.append(start)
        results.append(float(result))
    return out


def _official_in(rows: list[ValueIn]) -> set[tuple[int, str, Period]]:
    """(jurisdiction, measure code, period) of these rows the vitals store holds."""
    wanted = {r.measure.code: r.measure.frequency for r in rows if r.measure.code in FROM_VITALS}
    if not wanted:
        return set()
    return set(official_cells({r.team.jurisdiction_id for r in rows}, wanted,
                              {r.period.start.year for r in rows}))
