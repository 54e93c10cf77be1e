import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from coiin.measures.reminders import ReminderError, send_reminders


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today {text!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = ("E-mail teams' data leads about periods due soon or overdue (each reminder "
            "once; run daily).")

    def add_arguments(self, parser):
        parser.add_argument("--today", type=_date, default=None,
                            help="Act as if today were this date (YYYY-MM-DD).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Only list the reminders that would be sent.")

    def handle(self, *args, today=None, dry_run=False, **options):
        try:
            sent = send_reminders(today=today, dry_run=dry_run, log=self.stdout.write)
        except ReminderError as exc:
            raise CommandError(str(exc)) from exc
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(self.style.SUCCESS(
            f"{len(sent)} reminder{'s' if len(sent) != 1 else ''} {verb}."))
