from django.core.management.base import BaseCommand

from coiin.network.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo
from coiin.network.models import Jurisdiction, LearningNetwork, Team, User


class Command(BaseCommand):
    help = "Load the demo network (idempotent: running it again changes nothing)."

    def handle(self, *args, **options):
        load_demo(log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(
            f"Demo network ready: {Jurisdiction.objects.count()} jurisdictions, "
            f"{LearningNetwork.objects.count()} learning networks, {Team.objects.count()} "
            f"teams, {User.objects.count()} people (all people synthetic)."
        ))
        self.stdout.write(f"\nDemo logins (password for each: {DEMO_PASSWORD})")
        for login in DEMO_LOGINS.values():
            self.stdout.write(f"  {login.email:<24} {login.what}")
