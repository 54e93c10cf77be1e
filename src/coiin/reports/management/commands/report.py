from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coiin.measures.periods import Period, PeriodError
from coiin.network.models import LearningNetwork, Team
from coiin.reports.documents.common import fewer_collections
from coiin.reports.documents.drawing import start_engines
from coiin.reports.documents.models import ReportSnapshot
from coiin.reports.documents.snapshots import make_report

KINDS = ReportSnapshot.Kind.values


class Command(BaseCommand):
    help = ("Make a report and keep its snapshot: coiin report team|network|national "
            "[--team ID | --network SLUG] --period YYYY-MM --format pdf|xlsx|html -o FILE")
    # A report needs no system checks; they import every URL and view (the API's pull in
    # scipy) and were a sixth of the national PDF's time. `coiin check` still runs them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS,
                            help="team, network (a learning network) or national")
        parser.add_argument("--team", type=int, help="the team's id (team reports)")
        parser.add_argument("--network", help="the learning network's code, its slug, e.g. "
                            "safe-sleep (network reports)")
        parser.add_argument("--period", required=True, help="the last period, e.g. 2017-12")
        parser.add_argument("--format", choices=["pdf", "xlsx", "html"], default="pdf")
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args, kind, team, network, period, format, output, **options):
        try:
            last = Period.parse(period)
        except PeriodError as exc:
            raise CommandError(f"--period: {exc}") from None
        if not output.parent.is_dir():
            raise CommandError(f"-o: the folder {output.parent} does not exist")
        target: dict = {}
        if kind == ReportSnapshot.Kind.TEAM:
            if network is not None:
                raise CommandError("--network is for network reports; a team report takes "
                                   "--team ID")
            if team is None:
                raise CommandError("a team report needs --team ID")
            found = Team.objects.select_related("jurisdiction", "learning_network").filter(
                pk=team).first()
            if found is None:
                raise CommandError(f"--team: no team with id {team}")
            target["team"] = found
        elif team is not None:
            raise CommandError(f"--team is for team reports, not {kind} reports")
        if kind == ReportSnapshot.Kind.NETWORK:
            if network is None:
                raise CommandError("a network report needs --network CODE (the learning "
                                   "network's slug)")
            found_network = LearningNetwork.objects.filter(slug=network.strip().lower()).first()
            if found_network is None:
                codes = ", ".join(LearningNetwork.objects.order_by("position")
                                  .values_list("slug", flat=True))
                raise CommandError(f"--network: no learning network {network!r}; "
                                   f"the codes are: {codes}")
            target["network"] = found_network
        elif kind == ReportSnapshot.Kind.NATIONAL and network is not None:
            raise CommandError("--network is for network reports; the national report "
                               "covers every network")
        start_engines(format)  # the chart and PDF engines start while the inputs are read
        with fewer_collections():  # a short process: the report is nearly all it does
            snapshot, data = make_report(kind, period=last, fmt=format, **target)
        output.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(
            f"Wrote {output} ({len(data):,} bytes); snapshot {snapshot.pk}, "
            f"SHA-256 {snapshot.sha256}."))
