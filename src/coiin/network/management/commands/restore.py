from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from coiin.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore a `coiin backup` archive into an EMPTY instance (database and media "
            "folder), then migrate it forward. A damaged or foreign archive, or a target that "
            "is not empty, is refused with every reason and nothing is changed.")

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options):
        try:
            manifest = restore(archive, media_root=Path(settings.MEDIA_ROOT))
        except BackupError as exc:
            raise CommandError("Nothing was restored:\n" + "\n".join(
                f"  {p}" for p in exc.problems)) from None
        call_command("migrate", verbosity=0)
        self.stdout.write(self.style.SUCCESS(
            f"Restored the backup of {manifest.created}: the {manifest.vendor} database and "
            f"{manifest.files} files."))
