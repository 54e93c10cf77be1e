from django.core.management.base import BaseCommand, CommandError

from coiin.charts.summaries.services import deferred, rebuild
from coiin.demo.community import load_community_demo
from coiin.demo.events import load_events_demo
from coiin.demo.improvement import load_improvement_demo
from coiin.demo.measures import load_demo_data
from coiin.demo.network import DEMO_LOGINS, DEMO_PASSWORD, load_demo
from coiin.demo.phases import load_demo_phases
from coiin.demo.publication import publish_demo
from coiin.demo.rare_events import load_demo_rare_events
from coiin.demo.sites import load_site_demo
from coiin.demo.vitals import load_vitals_demo
from coiin.improvement import effects
from coiin.network.models import Jurisdiction, LearningNetwork, Team, User
from coiin.vitals.services import LoadRefused


class Command(BaseCommand):
    help = "Load the demo network (idempotent: running it again changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--network-only", action="store_true",
                            help="Load the network and people but no reporting data.")
        parser.add_argument(
            "--jurisdictions", metavar="CODES",
            help="Only these jurisdictions' teams, by postal code, comma-separated (e.g. "
                 "GA,PR; Georgia's always, for the demo logins): a small demo that loads in "
                 "seconds. Every jurisdiction is still listed, and its official figures "
                 "loaded.")

    def handle(self, *args, network_only=False, jurisdictions=None, **options):
        only = None
        if jurisdictions is not None:
            only = {c.strip().upper() for c in jurisdictions.split(",") if c.strip()}
        try:
            load_demo(log=self.stdout.write, only=only)
        except ValueError as exc:
            raise CommandError(f"--jurisdictions: {exc}") from None
        load_community_demo(log=self.stdout.write)
        # CDC's state infant deaths and NVSS births, as published: the official figures.
        try:
            load_vitals_demo(log=self.stdout.write)
        except LoadRefused as exc:
            raise CommandError("The official figures were not loaded:\n" + "\n".join(
                f"  {p}" for p in exc.problems)) from None
        if not network_only:
            # The changes heard while loading are gathered, not refreshed series by series:
            # every summary is rebuilt below, once (nothing in between reads them).
            with deferred() as heard:
                load_demo_data(log=self.stdout.write)
                load_site_demo(log=self.stdout.write)
                load_improvement_demo(log=self.stdout.write)
                load_demo_phases(log=self.stdout.write)
                load_demo_rare_events(log=self.stdout.write)
                load_events_demo(log=self.stdout.write)
                publish_demo(log=self.stdout.write)
                heard.clear()
            # The data went in in bulk: the dashboards' stored chart summaries, all at once.
            self.stdout.write(f"Chart summaries: {rebuild()} stored.")
            # And what works' estimates of each idea's effect, read by its pages.
            rows = effects.evidence_for(list(LearningNetwork.objects.all()))
            self.stdout.write(f"What works: {sum(1 + len(r.secondary) for r in rows if r.primary)}"
                              " effect estimates stored.")
        self.stdout.write(self.style.SUCCESS(
            f"Demo network ready: {Jurisdiction.objects.count()} jurisdictions, "
            f"{LearningNetwork.objects.count()} learning networks, {Team.objects.count()} "
            f"teams, {User.objects.count()} people. People and reporting data are synthetic."
        ))
        self.stdout.write(f"\nDemo logins (password for each: {DEMO_PASSWORD})")
        for login in DEMO_LOGINS.values():
            self.stdout.write(f"  {login.email:<24} {login.what}")
