"""``coiin vitals import FILE`` and ``coiin vitals rates``: load official figures, and
print the rates computed from them beside the published ones."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import formats, translation
from django.utils.translation import gettext, ngettext, pgettext

from coiin.network.models import Jurisdiction, User
from coiin.vitals import rates, services
from coiin.vitals.models import SourceKind

BAD_INPUT = 2  # the exit code when the file or the arguments are wrong
LANGUAGES = [code for code, _ in settings.LANGUAGES]


class Command(BaseCommand):
    help = "Official vital statistics: import a source file, or print reproduced rates."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, title="actions")
        load = sub.add_parser(
            "import", help="Load a CDC Stats of the States, NVSS births or CDC WONDER file, "
                           "all or nothing; a file loaded before changes nothing.")
        load.add_argument("file", type=Path)
        load.add_argument("--source", choices=SourceKind.values,
                          help="The file's kind (default: detected from its header).")
        load.add_argument("--dry-run", action="store_true",
                          help="Check the file and say what would change; write nothing.")
        load.add_argument("--user", metavar="EMAIL", help="Record this person as the loader.")
        load.add_argument("--language", choices=LANGUAGES,
                          help="The language of everything the command prints: the summary, "
                               "its progress and the problems listed (default: the --user's "
                               "own, else English).")
        load.add_argument("--progress-every", type=int, default=10_000, metavar="N",
                          help="Print progress to stderr every N rows (default 10,000).")
        show = sub.add_parser("rates", help="Rates computed from stored counts, beside "
                                            "the published rate.")
        show.add_argument("--measure", choices=sorted(rates.MEASURES), default="imr")
        show.add_argument("--by", choices=["year"], default="year")
        show.add_argument("--jurisdiction", metavar="XX")
        show.add_argument("--year", type=int)
        show.add_argument("--json", action="store_true", help="Print JSON.")
        show.add_argument("--language", choices=LANGUAGES, default="en",
                          help="The language of the table and the errors (default English; "
                               "JSON keys and codes stay as they are).")

    def handle(self, *args, action: str, **options) -> None:
        if action == "import":
            self._import(options)
        else:
            self._rates(options)

    def _import(self, options: dict) -> None:
        file: Path = options["file"]
        user = None
        if options.get("user"):
            email = options["user"].strip()
            user = User.objects.filter(email__iexact=email).first()
            if user is None:  # no profile to read a language from: --language, else English
                with translation.override(options.get("language") or "en"):
                    raise CommandError(gettext(
                        "--user %(email)s: no one has an account with this e-mail address; "
                        "give the e-mail address of the person loading the file, or leave "
                        "--user out.") % {"email": email}, returncode=BAD_INPUT)
        language = options.get("language") or getattr(user, "language", "") or "en"
        with translation.override(language):
            self._load(file, user, options)

    def _load(self, file: Path, user: User | None, options: dict) -> None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(gettext("Cannot read %(file)s: %(reason)s") % {
                "file": file, "reason": exc.strerror}, returncode=BAD_INPUT) from None
        try:
            result = services.load_file(
                data=data, file_name=file.name, source=options.get("source"), user=user,
                dry_run=options["dry_run"], progress=self._progress,
                every=options["progress_every"])
        except services.LoadRefused as exc:
            lines = "\n".join(f"  {p}" for p in exc.problems)
            count = len(exc.problems)
            raise CommandError(ngettext(
                "Nothing was loaded; fix %(count)s problem and try again:",
                "Nothing was loaded; fix these %(count)s problems and try again:", count)
                % {"count": count} + f"\n{lines}", returncode=BAD_INPUT) from None
        prefix = gettext("Dry run, nothing written.") + " " if result.dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + result.summary()))

    def _progress(self, rows: int) -> None:
        """Called in the language the command speaks (``_import`` overrides it)."""
        self.stderr.write(ngettext("read %(rows)s row", "read %(rows)s rows", rows) % {
            "rows": formats.number_format(rows, force_grouping=True)})
        self.stderr.flush()

    def _rates(self, options: dict) -> None:
        with translation.override(options.get("language") or "en"):
            self._table(options)

    def _table(self, options: dict) -> None:
        code = (options.get("jurisdiction") or "").strip().upper()
        if code and not Jurisdiction.objects.filter(postal_code=code).exists():
            raise CommandError(gettext("No jurisdiction with the code %(code)s.")
                               % {"code": code}, returncode=BAD_INPUT)
        rows = rates.imr_by_year(jurisdiction=code or None, year=options.get("year"))
        if options["json"]:
            self.stdout.write(json.dumps({"rows": [r.as_json() for r in rows]}, indent=1))
            return
        self.stdout.write(gettext("%(measure)s, by year") % {
            "measure": rates.MEASURES[options["measure"]]})
        head = [pgettext("vitals rates column", "code"), pgettext("vitals rates column", "year"),
                pgettext("vitals rates column", "deaths"),
                pgettext("vitals rates column", "births"),
                pgettext("vitals rates column", "rate"),
                pgettext("vitals rates column", "published"),
                pgettext("vitals rates column", "comparison")]
        self.stdout.write(f"{head[0]:<5}{head[1]:<6}{head[2]:>8}{head[3]:>10}{head[4]:>8}"
                          f"{head[5]:>11}  {head[6]}")
        for r in rows:
            verdict = {None: "", True: gettext("agrees"),
                       False: gettext("DISAGREES by %(difference)s") % {
                           "difference": r.difference}}
            self.stdout.write(
                f"{r.jurisdiction:<5}{r.period:<6}{_n(r.deaths):>8}{_n(r.births):>10}"
                f"{_n(r.rate):>8}{_n(r.published_rate):>11}  {verdict[r.agrees]}")
        compared = [r for r in rows if r.agrees is not None]
        self.stdout.write(gettext(
            "%(agree)s of %(compared)s published rates reproduced to within %(tolerance)s.")
            % {"agree": sum(1 for r in compared if r.agrees), "compared": len(compared),
               "tolerance": rates.TOLERANCE})


def _n(value: object) -> str:
    return "—" if value is None else str(value)
