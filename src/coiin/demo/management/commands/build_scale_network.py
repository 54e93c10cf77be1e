from django.core.management.base import BaseCommand, CommandError

from coiin.demo.scale import Shape, build, describe


class Command(BaseCommand):
    help = ("Build a synthetic network at national scale into an EMPTY database, to measure "
            "the platform: the demo network, extra jurisdictions, reporting units, measures "
            "and random monthly values (all synthetic), written through the one writer of "
            "values. --factor F builds F times the demo's volume instead of the full size.")

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=3000, help="Reporting units (sites).")
        parser.add_argument("--measures", type=int, default=40)
        parser.add_argument("--months", type=int, default=72)
        parser.add_argument("--factor", type=float, default=None,
                            help="F times the demo's volume of values (1 = demo-sized), cut "
                                 "from the size given by --units/--measures/--months.")

    def handle(self, *args, units, measures, months, factor, **options):
        if min(units, measures, months) < 1:
            raise CommandError("--units, --measures and --months must be at least 1.")
        shape = Shape(units, measures, months)
        if factor is not None:
            if factor <= 0:
                raise CommandError("--factor must be above 0.")
            shape = shape.scaled(factor)
        self.stdout.write(f"Building {describe(shape)}")
        try:
            built = build(shape, log=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Built in {built.total_seconds:.1f} s: {built.site_values:,} values, "
            f"{built.site_values / built.total_seconds:,.0f} values/s overall. All synthetic."))
