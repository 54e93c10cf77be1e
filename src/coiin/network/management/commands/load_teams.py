from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coiin.network.services import BulkLoadError, load_teams_csv


class Command(BaseCommand):
    help = (
        "Add teams from a CSV file with columns jurisdiction, learning_network "
        "[, joined_on]. All or nothing: one bad row and nothing is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_file", type=Path)

    def handle(self, *args, csv_file: Path, **options):
        try:
            text = csv_file.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"Cannot read {csv_file}: {exc.strerror}") from None
        try:
            teams = load_teams_csv(text)
        except BulkLoadError as exc:
            lines = "\n".join(f"  {csv_file.name}: {e}" for e in exc.errors)
            raise CommandError(f"Nothing was loaded; fix these and try again:\n{lines}") from None
        self.stdout.write(self.style.SUCCESS(f"Added {len(teams)} teams."))
