"""The one writer of official figures: ``load_file`` stores a source file's figures, all
or nothing. Pages, the command line and the demo call it; nothing else writes
``VitalFigure`` or ``VitalsLoad`` rows."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext

from coiin.network.models import Jurisdiction, User

from . import changes, entry, loaders, problems
from .models import (
    MOTHER_RACES,
    ReplacedFigure,
    SourceKind,
    Status,
    VitalFigure,
    VitalRecordsRole,
    VitalsLoad,
    period_label,
)

BATCH = 2_000


class LoadRefused(Exception):
    """Nothing was stored; ``problems`` lists every reason, one line each."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass(frozen=True)
class LoadResult:
    file_name: str
    source: str
    rows: int
    added: int
    unchanged: int
    load: VitalsLoad | None
    already_loaded: bool = False
    dry_run: bool = False
    replaced: int = 0
    corrected: int = 0  # of the replaced: provisional figures corrected by provisional ones

    def summary(self) -> str:
        """What the load did, in whole sentences in the reader's language."""
        if self.already_loaded and self.load is not None:
            return gettext("%(file)s was already loaded on %(when)s (as %(earlier)s); nothing "
                           "changed.") % {
                "file": self.file_name, "earlier": self.load.file_name,
                "when": self.load.loaded_at.strftime("%Y-%m-%d %H:%M UTC")}
        counts = {"file": self.file_name, "source": SourceKind(self.source).label,
                  "rows": _count(self.rows), "added": _count(self.added),
                  "unchanged": _count(self.unchanged)}
        sentences = [(gettext("%(file)s (%(source)s): %(rows)s rows; would add %(added)s "
                              "figures, %(unchanged)s already stored unchanged.")
                      if self.dry_run else
                      gettext("%(file)s (%(source)s): %(rows)s rows; added %(added)s "
                              "figures, %(unchanged)s already stored unchanged.")) % counts]
        finals = self.replaced - self.corrected
        if finals:
            sentences.append((gettext("Would replace %(count)s provisional figures with final "
                                      "ones.") if self.dry_run else
                              gettext("Replaced %(count)s provisional figures with final "
                                      "ones.")) % {"count": _count(finals)})
        if self.corrected:
            sentences.append((gettext("Would correct %(count)s provisional figures (the "
                                      "earlier ones kept).") if self.dry_run else
                              gettext("Corrected %(count)s provisional figures (the earlier "
                                      "ones kept).")) % {"count": _count(self.corrected)})
        return " ".join(sentences)


def _count(n: int) -> str:
    """A count grouped by thousands the reader's way (1,234 or 1.234)."""
    return formats.number_format(n, force_grouping=True)


def load_file(*, data: bytes, file_name: str, source: str | None = None,
              user: User | None = None, dry_run: bool = False,
              progress: loaders.Progress | None = None, every: int = 10_000) -> LoadResult:
    """Store a file's figures, or nothing. A file loaded before (same SHA-256) changes
    nothing. A figure the same kind of source already gave differently refuses the file,
    each such conflict listed; so does any unreadable row.

    Raises ``LoadRefused``."""
    if source is not None and source not in SourceKind.values:
        raise LoadRefused([f"{file_name}: " + gettext("unknown source %(source)s; one of "
                                                      "%(known)s") % {
            "source": repr(source), "known": ", ".join(SourceKind.values)}])
    digest = hashlib.sha256(data).hexdigest()
    before = VitalsLoad.objects.filter(sha256=digest).first()
    if before is not None:
        return LoadResult(file_name, before.source_kind, before.row_count, 0, 0, before,
                          already_loaded=True, dry_run=dry_run)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadRefused([f"{file_name}: " + gettext("not UTF-8 text (byte %(byte)s)") % {
            "byte": exc.start + 1}]) from None
    parsed = loaders.parse(text, places=loaders.Places.from_db(), source=source,
                           progress=progress, every=every)
    if parsed.problems:
        raise LoadRefused([p.text(file_name) for p in parsed.problems])
    try:
        return _store(parsed, file_name=file_name, digest=digest, user=user, dry_run=dry_run)
    except IntegrityError:
        # Another load stored some of these figures (or this file) since we looked.
        raise LoadRefused([f"{file_name}: " + gettext(
            "another load of these figures finished while this one ran; load the file again "
            "to compare with it")]) from None


def _store(parsed: loaders.Parsed, *, file_name: str, digest: str, user: User | None,
           dry_run: bool, correct: bool = False) -> LoadResult:
    with transaction.atomic():
        new, unchanged, conflicts, replace = _compare(parsed, correct=correct)
        if conflicts:
            raise LoadRefused([f"{file_name}: {problems.where(f.line)}: {text}"
                               for text, f in conflicts])
        if dry_run:
            return LoadResult(file_name, parsed.source, parsed.rows, len(new), unchanged,
                              None, dry_run=True, replaced=len(replace))
        load = VitalsLoad.objects.create(
            file_name=file_name[:255], sha256=digest, source_kind=parsed.source,
            loaded_by=user, row_count=parsed.rows, figures_added=len(new),
            figures_unchanged=unchanged, figures_replaced=len(replace))
        VitalFigure.objects.bulk_create(
            (VitalFigure(source_kind=parsed.source, load=load,
                         **{name: getattr(f, name) for name in loaders.FIGURE_FIELDS})
             for f in new), batch_size=BATCH)
        _replace(replace, load)
        changes.figures_changed({(f.jurisdiction_id, f.year) for f in (*new, *(
            f for _, f in replace))}, user)
    corrected = sum(1 for _, f in replace if f.status == Status.PROVISIONAL)
    return LoadResult(file_name, parsed.source, parsed.rows, len(new), unchanged, load,
                      replaced=len(replace), corrected=corrected)


REPLACED = ("value", "published_rate", "rate_unit", "status", "suppressed", "unreliable")


def _replace(pairs: list[tuple[VitalFigure, loaders.FigureIn]], load: VitalsLoad) -> None:
    """Final figures in place of provisional ones (or an office's corrected provisional
    ones); each replaced one is kept as a ``ReplacedFigure`` (with its load, which
    stays)."""
    if not pairs:
        return
    ReplacedFigure.objects.bulk_create(
        (ReplacedFigure(figure=row, value=row.value, published_rate=row.published_rate,
                        status=row.status, suppressed=row.suppressed,
                        unreliable=row.unreliable, load_id=row.load_id, replaced_by=load)
         for row, _ in pairs), batch_size=BATCH)
    for row, figure in pairs:
        for name in REPLACED:
            setattr(row, name, getattr(figure, name))
        row.load = load
    VitalFigure.objects.bulk_update([row for row, _ in pairs], [*REPLACED, "load"],
                                    batch_size=BATCH)


def _compare(parsed: loaders.Parsed, *, correct: bool = False
             ) -> tuple[list[loaders.FigureIn], int, list[tuple[str, loaders.FigureIn]],
                        list[tuple[VitalFigure, loaders.FigureIn]]]:
    """(figures to add, how many are stored already, conflicts with stored figures,
    provisional figures a final one replaces). A final figure replaces a provisional one
    of the same kind of source, and with ``correct`` (an office correcting what it
    entered) so does a provisional one; any other difference is a conflict.
    The stored rows are locked while compared; two loads adding the same new figure at
    once meet the unique constraint, and the later one is refused."""
    if not parsed.figures:
        return [], 0, [], []
    stored: dict[tuple, VitalFigure] = {}
    rows = VitalFigure.objects.select_for_update().select_related("load").filter(
        source_kind=parsed.source,
        year__in={f.year for f in parsed.figures},
        jurisdiction_id__in={f.jurisdiction_id for f in parsed.figures},
        item__in={f.item for f in parsed.figures})
    for each in rows:
        stored[(each.jurisdiction_id, each.year, each.quarter, each.month, each.mother_race,
                each.mother_age, each.item)] = each
    new: list[loaders.FigureIn] = []
    replace: list[tuple[VitalFigure, loaders.FigureIn]] = []
    unchanged, conflicts = 0, []
    for figure in parsed.figures:
        row = stored.get(figure.key)
        if row is None:
            new.append(figure)
        elif _facts(row) == figure.facts():
            unchanged += 1
        elif row.status == Status.PROVISIONAL and (
                figure.status == Status.FINAL or correct):
            replace.append((row, figure))
        else:
            words = {"figure": figure.label(), "new": _describe_in(figure),
                     "load": row.load.file_name, "on": f"{row.load.loaded_at:%Y-%m-%d}",
                     "stored": _describe_row(row)}
            conflicts.append(((gettext(
                "%(figure)s: the file says %(new)s; %(load)s (loaded %(on)s) says %(stored)s")
                if figure.line else gettext(
                "%(figure)s: entered now: %(new)s; %(load)s (loaded %(on)s) says %(stored)s"))
                % words, figure))
    return new, unchanged, conflicts, replace


def _facts(row: VitalFigure) -> tuple:
    rate = row.published_rate.normalize() if row.published_rate is not None else None
    return (row.value, rate, row.rate_unit, row.status, row.suppressed, row.unreliable)


def _describe_in(f: loaders.FigureIn) -> str:
    return _flags(loaders.describe(f.value, f.published_rate, f.suppressed), f.status,
                  f.unreliable)


def _describe_row(row: VitalFigure) -> str:
    return _flags(loaders.describe(row.value, row.published_rate, row.suppressed),
                  row.status, row.unreliable)


def _flags(text: str, status: str, unreliable: bool) -> str:
    said = str(Status(status).label).lower() if status in Status.values else status
    if unreliable:
        return gettext("%(figure)s (%(status)s, unreliable)") % {"figure": text, "status": said}
    return f"{text} ({said})"


# -- figures a vital-records office enters -----------------------------------------------


class EntryRefused(LoadRefused):
    """Nothing was stored; ``fields`` says what is wrong with each field."""

    def __init__(self, fields: dict[str, str]):
        super().__init__([f"{name}: {message}" for name, message in fields.items()])
        self.fields = fields


def enter_figures(*, jurisdiction: Jurisdiction, user: User, year: object, quarter: object,
                  status: object, cells: Mapping[str, str],
                  correct: bool = False) -> LoadResult:
    """Store what a vital-records office typed for one period, all or nothing, as a load of
    its own (named for who entered what). Entering the same figures again changes nothing;
    a figure that differs from one the office entered before is refused, by field, unless
    the office says it corrects it (``correct``): a provisional figure is then replaced
    by the new one, final or provisional, and kept as a ``ReplacedFigure``. A final
    figure is never corrected here.

    Raises ``EntryRefused``."""
    read = entry.read(jurisdiction, year=year, quarter=quarter, status=status, cells=cells)
    if read.problems:
        raise EntryRefused(read.problems)
    first = read.figures[0]
    period = period_label(first.year, first.quarter)
    canonical = "\n".join(sorted(f"{f.key}|{f.facts()}" for f in read.figures))
    digest = hashlib.sha256(f"office|{canonical}".encode()).hexdigest()
    before = VitalsLoad.objects.filter(sha256=digest).first()
    parsed = loaders.Parsed(source=SourceKind.OFFICE, rows=len(read.figures),
                            figures=read.figures)
    name = (f"Entered for {jurisdiction.name} {period} by {user.display_name} "
            f"({first.status}{', a correction' if correct else ''})")
    with transaction.atomic():
        new, _, conflicts, replace = _compare(parsed, correct=correct)
        if before is not None and not new and not replace and not conflicts:
            return LoadResult(before.file_name, SourceKind.OFFICE, before.row_count, 0, 0,
                              before, already_loaded=True)
        if conflicts:
            fields = {}
            for text, figure in conflicts:
                race = {label: code for code, label in MOTHER_RACES}.get(figure.mother_race, "")
                fields[entry.field_name(figure.item, race)] = text + (
                    "" if correct or figure.status != Status.PROVISIONAL else
                    "; " + gettext("if it corrects a provisional figure, enter it as a "
                                   "correction"))
            raise EntryRefused(fields)
        if before is not None:
            # The same figures entered once before and corrected since: this entry puts
            # them back, as a load of its own.
            digest = hashlib.sha256(f"{digest}|{timezone.now().isoformat()}".encode()
                                    ).hexdigest()
        return _store(parsed, file_name=name, digest=digest, user=user, dry_run=False,
                      correct=correct)


def grant_role(*, user: User, jurisdiction: Jurisdiction, by: User) -> VitalRecordsRole:
    """Let ``user`` enter figures for ``jurisdiction``'s vital-records office."""
    role, _ = VitalRecordsRole.objects.get_or_create(
        user=user, jurisdiction=jurisdiction, defaults={"granted_by": by})
    return role


def withdraw_role(*, role: VitalRecordsRole) -> None:
    role.delete()
