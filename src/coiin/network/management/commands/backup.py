from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from coiin.backup import BackupError, backup


class Command(BaseCommand):
    help = ("Write a backup archive (.tar.gz) of the database and the uploaded files, with a "
            "checksum manifest; safe while the site runs. Restore it with `coiin restore`.")

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options):
        try:
            manifest = backup(archive, media_root=Path(settings.MEDIA_ROOT))
        except BackupError as exc:
            raise CommandError("No backup was written:\n" + "\n".join(
                f"  {p}" for p in exc.problems)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Wrote {archive}: the {manifest.vendor} database and {manifest.files} files "
            f"({len(manifest.migrations)} migrations applied)."))
