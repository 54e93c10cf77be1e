"""The ``coiin`` command: Django management, plus ``coiin spc``, ``coiin suppress`` and
``coiin what-works``, which need no database."""

from __future__ import annotations

import os
import sys

# Commands that run without Django, so Django's own help does not know them. Like Django's,
# a dash and an underscore are the same in their names (coiin what-works == what_works).
OWN_COMMANDS = ("spc", "suppress", "what_works")


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) == 2 and args[0] == "help" and args[1].replace("-", "_") in OWN_COMMANDS:
        args = [args[1], "--help"]  # coiin help spc == coiin spc --help
    if args and args[0].replace("-", "_") in OWN_COMMANDS:
        args[0] = args[0].replace("-", "_")
    if args and args[0] == "spc":
        from coiin.spc.cli import main as spc_main

        return spc_main(args[1:])
    if args and args[0] == "suppress":
        from coiin.stats.cli import main as suppress_main

        return suppress_main(args[1:])
    if args and args[0] == "what_works":
        from coiin.stats.whatworks.cli import main as what_works_main

        return what_works_main(args[1:])
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")  # coiin import-data == coiin import_data
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coiin.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["coiin", *args])
    if args in ([], ["help"], ["-h"], ["--help"]):
        print("\n[coiin]\n" + "".join(f"    {name}\n" for name in OWN_COMMANDS), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
