"""`python -m coiin.stats TABLE.csv ...`: same as `coiin suppress TABLE.csv ...`."""

from .cli import main

raise SystemExit(main())
