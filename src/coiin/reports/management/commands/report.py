from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coiin.measures.periods import Period, PeriodError
from coiin.network.models import Team
from coiin.reports.snapshots import make_team_report


class Command(BaseCommand):
    help = ("Make a report and keep its snapshot: "
            "coiin report team --team ID --period YYYY-MM --format pdf|xlsx|html -o FILE")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["team"])
        parser.add_argument("--team", type=int, required=True, help="the team's id")
        parser.add_argument("--period", required=True, help="the last period, e.g. 2017-12")
        parser.add_argument("--format", choices=["pdf", "xlsx", "html"], default="pdf")
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args, kind, team, period, format, output, **options):
        try:
            last = Period.parse(period)
        except PeriodError as exc:
            raise CommandError(f"--period: {exc}") from None
        found = Team.objects.select_related("jurisdiction", "learning_network").filter(
            pk=team).first()
        if found is None:
            raise CommandError(f"--team: no team with id {team}")
        snapshot, data = make_team_report(team=found, period=last, fmt=format)
        output.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(
            f"Wrote {output} ({len(data):,} bytes); snapshot {snapshot.pk}, "
            f"SHA-256 {snapshot.sha256}."))
