import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Serve the platform: the Django development server when DEBUG is on, "
        "gunicorn otherwise (static files by WhiteNoise)."
    )

    def add_arguments(self, parser):
        parser.add_argument("address", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=3)

    def handle(self, *args, address, workers, **options):
        if settings.DEBUG:
            call_command("runserver", address, use_reloader=False)
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        cmd = [sys.executable, "-m", "gunicorn", "coiin.wsgi:application",
               "--bind", address, "--workers", str(workers), "--access-logfile", "-"]
        raise SystemExit(subprocess.call(cmd))  # noqa: S603 - fixed argv, no shell
