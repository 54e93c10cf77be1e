"""Spanish formats as Puerto Rico writes them: Django's Spanish dates (month and day names in
Spanish) but a decimal point and a comma between thousands, as in English, so a figure reads
the same in either language and a value typed into a form or copied out of a data table is
never ambiguous. Data tables and downloads print dates as ISO 8601 (YYYY-MM-DD) in both."""

from django.conf.locale.es.formats import (  # noqa: F401 - Spanish dates, re-exported
    DATE_FORMAT,
    DATETIME_FORMAT,
    FIRST_DAY_OF_WEEK,
    MONTH_DAY_FORMAT,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    TIME_FORMAT,
    YEAR_MONTH_FORMAT,
)

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
# ISO first: what the forms' date fields send.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M",
                          "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"]
