import time

from django.core.management.base import BaseCommand, CommandError

from coiin.charts.summaries.services import rebuild
from coiin.network.models import LearningNetwork


class Command(BaseCommand):
    help = ("Recompute the stored chart summaries the dashboards read: all of them, or "
            "those of one learning network (its teams, its pooled series and the national "
            "pooled series of its measures).")

    def add_arguments(self, parser):
        parser.add_argument("--network", metavar="SLUG", help="Only this learning network.")

    def handle(self, *args, network=None, **options):
        networks = None
        if network:
            found = LearningNetwork.objects.filter(slug=network).first()
            if found is None:
                raise CommandError(f"No learning network {network!r}.")
            networks = [found]
        start = time.perf_counter()
        written = rebuild(networks)
        self.stdout.write(f"{written} chart summaries written in "
                          f"{time.perf_counter() - start:.1f} s.")
