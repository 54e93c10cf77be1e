"""``coiin export-data FILE [--network CODE] [--jurisdiction XX] [--format F]``: every
value, as an operator sees them (drafts too), in the import's columns with ``site``: the
sites' values of measures reported by site, so that importing the file gives the same data
back. ``--format fhir|dhis2-json|adx`` writes a FHIR Bundle of MeasureReports, a DHIS2
dataValueSets document or an ADX message instead (the formats registered in
``io_formats``), with each team-period's workflow status."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coiin.measures import io, io_formats
from coiin.measures.io_sites import FILE_COLUMNS, file_rows
from coiin.network.models import Jurisdiction, LearningNetwork


class Command(BaseCommand):
    help = ("Export reported values to a CSV or XLSX file (the type follows the extension), "
            "in the columns the import reads, with a site column for the sites' values of "
            "measures reported by site.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--network", metavar="CODE", help="Only this learning network.")
        parser.add_argument("--jurisdiction", metavar="XX", help="Only this jurisdiction.")
        parser.add_argument("--format", dest="fmt", metavar="FORMAT",
                            help="fhir, dhis2-json or adx; without it CSV or XLSX by the "
                                 "file's extension.")

    def handle(self, *args, file: Path, network: str | None = None,
               jurisdiction: str | None = None, fmt: str | None = None, **options):
        other = None
        if fmt and fmt not in ("csv", "xlsx"):
            other = io_formats.FORMATS.get(fmt)
            if other is None:
                raise CommandError(f"--format must be one of csv, xlsx, "
                                   f"{', '.join(io_formats.names())}; not {fmt!r}.")
        else:
            try:
                io.file_format(file.name)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
        if network and not LearningNetwork.objects.filter(slug=network.lower()).exists():
            raise CommandError(f"No learning network {network!r}.")
        if jurisdiction and not Jurisdiction.objects.filter(
                postal_code=jurisdiction.upper()).exists():
            raise CommandError(f"No jurisdiction {jurisdiction!r}.")
        submissions = io.submissions_in(network=network, jurisdiction=jurisdiction)
        if other is not None:
            try:
                document = other.write(submissions)
            except ValueError as exc:  # what the format cannot carry, named
                raise CommandError(str(exc)) from None
            try:
                file.write_bytes(document)
            except OSError as exc:
                raise CommandError(f"Cannot write {file}: {exc.strerror}") from None
            self.stdout.write(self.style.SUCCESS(f"Wrote {other.label} to {file}."))
            return
        try:
            count = io.write_file(file_rows(submissions), file, FILE_COLUMNS)
        except OSError as exc:
            raise CommandError(f"Cannot write {file}: {exc.strerror}") from None
        self.stdout.write(self.style.SUCCESS(f"Wrote {count:,} values to {file}."))
