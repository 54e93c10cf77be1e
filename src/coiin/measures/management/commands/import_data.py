"""``coiin import-data FILE [--dry-run] [--user EMAIL]``: the operator's bulk import of a
CSV or XLSX file, or of a FHIR Bundle, DHIS2 dataValueSets JSON or ADX document (detected
from its content; see ``io_formats``)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coiin.measures import io, io_formats
from coiin.network.models import User


class Command(BaseCommand):
    help = (
        "Import reported values from a CSV or XLSX file with the columns "
        f"{', '.join(io.COLUMNS)}, or from a FHIR Bundle of MeasureReports, a DHIS2 "
        "dataValueSets JSON or an ADX XML document (detected from the content). All or "
        "nothing: one bad row and nothing is stored. "
        "An operator's tool: no access checks, closed periods allowed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true",
                            help="Check the file and report what would change; write nothing.")
        parser.add_argument("--user", metavar="EMAIL",
                            help="Record this person as the author in the audit history.")

    def handle(self, *args, file: Path, dry_run: bool = False, user: str | None = None,
               **options):
        author = None
        if user:
            author = User.objects.filter(email__iexact=user.strip()).first()
            if author is None:
                raise CommandError(f"No user with the e-mail address {user}.")
        try:
            with file.open("rb") as f:
                head = f.read(1)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from None
        if file.suffix.lower() not in (".csv", ".xlsx") and head in (b"{", b"<", b"\xef"):
            self._document(file, author, dry_run)
            return
        try:
            # Streamed: the file is read a chunk at a time, whatever its size.
            result = io.import_file(file, file.name, user=author, dry_run=dry_run,
                                    total=io.count_rows(file, file.name),
                                    reason=f"imported from {file.name}", progress=self._progress)
        except io.ImportRefused as exc:
            self._warnings(file, exc.warnings)
            lines = "\n".join(f"  {file.name}: {e}" for e in exc.errors)
            raise CommandError(
                f"Nothing was imported; fix these {len(exc.errors)} problems and try again:\n"
                f"{lines}") from None
        self._warnings(file, result.warnings)
        prefix = "Dry run, nothing written. " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + result.summary()))

    def _document(self, file: Path, author: User | None, dry_run: bool) -> None:
        """A FHIR, DHIS2 JSON or ADX document: read whole, stored all or nothing."""
        data = file.read_bytes()
        fmt = io_formats.detect(data)
        if fmt is None:
            raise CommandError(f"{file.name} is neither CSV, XLSX, a FHIR Bundle, DHIS2 "
                               "dataValueSets JSON nor ADX XML.")
        try:
            result = io_formats.read(fmt, data, file.name, user=author, dry_run=dry_run)
        except io.ImportRefused as exc:
            problems = getattr(exc, "problems", None) or exc.errors
            lines = "\n".join(f"  {file.name}: {p}" for p in problems)
            raise CommandError(
                f"Nothing was imported from this {fmt.label}; fix these {len(problems)} "
                f"problems and try again:\n{lines}") from None
        self._warnings(file, result.warnings)
        prefix = "Dry run, nothing written. " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}{fmt.label}: {result.summary()}"))

    def _progress(self, stage: str, done: int, total: int) -> None:
        noun = "rows" if stage == "checked" else "values"
        of = f" of {total:,}" if total else ""
        print(f"{stage} {done:,}{of} {noun}", file=sys.stderr, flush=True)

    def _warnings(self, file: Path, warnings: list) -> None:
        for w in warnings:
            self.stdout.write(self.style.WARNING(f"  {file.name}: warning, {w}"))
