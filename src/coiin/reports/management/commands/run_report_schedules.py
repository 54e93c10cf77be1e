import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from coiin.reports.jobs.services import run_schedules


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today {text!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = ("Request the reports of every active schedule whose month or quarter has closed "
            "(each period once; run daily).")

    def add_arguments(self, parser):
        parser.add_argument("--today", type=_date, default=None,
                            help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, today=None, **options):
        jobs = run_schedules(today=today, log_line=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(
            f"{len(jobs)} report{'s' if len(jobs) != 1 else ''} requested."))
