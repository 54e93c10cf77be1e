"""`python -m coiin.spc FILE.csv --chart ...`: same as `coiin spc FILE.csv --chart ...`."""

from .cli import main

raise SystemExit(main())
