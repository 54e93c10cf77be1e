import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coiin.community.notifications.services import send_digests


def _moment(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--now {text!r} is not an ISO date-time") from None
    return value if timezone.is_aware(value) else timezone.make_aware(value)


class Command(BaseCommand):
    help = ("E-mail each person whose community digest is due (daily or weekly, their "
            "choice); at most one per person per period however often it runs.")

    def add_arguments(self, parser):
        parser.add_argument("--now", type=_moment, default=None,
                            help="Act as if it were this moment (ISO, e.g. 2025-03-03T07:00).")

    def handle(self, *args, now=None, **options):
        sent = send_digests(now=now, log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(
            f"{len(sent)} digest{'s' if len(sent) != 1 else ''} sent."))
