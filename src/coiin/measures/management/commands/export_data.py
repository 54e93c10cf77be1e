"""``coiin export-data FILE [--network CODE] [--jurisdiction XX]``: every value, as an
operator sees them (drafts too), in the import's columns with ``site``: the sites' values
of measures reported by site, so that importing the file gives the same data back."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coiin.measures import io
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

    def handle(self, *args, file: Path, network: str | None = None,
               jurisdiction: str | None = None, **options):
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
        try:
            count = io.write_file(file_rows(submissions), file, FILE_COLUMNS)
        except OSError as exc:
            raise CommandError(f"Cannot write {file}: {exc.strerror}") from None
        self.stdout.write(self.style.SUCCESS(f"Wrote {count:,} values to {file}."))
