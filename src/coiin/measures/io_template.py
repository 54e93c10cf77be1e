"""A file to fill in: one team's rows for one period in the import's columns, so a data
lead types numbers, not codes.

Each measure the team reports at the period's frequency gets a row for its total and one
per stratum when it is reported by strata; a measure reported by site gets a row per site
(with the ``site`` column) instead of its total, which is their sum. Values already entered
are filled in: a blank cell on import clears a value, so a template must not blank them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from coiin.network.models import ReportingUnit, Team

from . import services
from .io_read import COLUMNS, SURVEY_COLUMNS
from .io_sites import file_rows
from .models import Stratum, Submission, TeamMeasure
from .periods import Period


def template_columns(team: Team) -> tuple[str, ...]:
    """The import's columns, with a survey estimate's when the team reports a survey
    measure, and ``site`` when it reports any by site."""
    chosen = TeamMeasure.objects.filter(team=team, active=True)
    by_site = chosen.filter(by_site=True).exists()
    survey = any(tm.measure.is_survey for tm in chosen.select_related("measure"))
    return COLUMNS + (SURVEY_COLUMNS if survey else ()) + (("site",) if by_site else ())


def template_rows(team: Team, period: Period, *, existing: QuerySet[Submission],
                  units: Iterable[ReportingUnit], team_rows: bool = True
                  ) -> Iterator[dict[str, str]]:
    """The rows to fill in; ``existing`` holds the team-period whose values the person
    may see, ``units`` the sites they enter, ``team_rows`` whether they enter the team's
    own figures (site staff do not)."""
    measures = services.team_measures(team, period.frequency)
    by_site = set(TeamMeasure.objects.filter(team=team, active=True, by_site=True)
                  .values_list("measure_id", flat=True))
    strata: dict[str, list[Stratum]] = {}
    for s in Stratum.objects.order_by("kind", "position"):
        strata.setdefault(s.kind, []).append(s)
    site_names = [u.name for u in sorted(units, key=lambda u: u.name)]
    stored = {(r["measure"], r.get("site", ""), r["stratum"]): r for r in file_rows(existing)}
    base = {"jurisdiction": team.jurisdiction.postal_code,
            "network": team.learning_network.slug, "period": period.label}
    for m in measures:
        if m.pk in by_site:
            sites = site_names
        else:
            sites = [""] if team_rows else []
        for site in sites:
            for stratum in [None, *strata.get(m.stratification, [])]:
                code = stratum.code if stratum else ""
                row = {**base, "measure": m.code, "stratum": code}
                columns = ("value", *SURVEY_COLUMNS) if m.is_survey else (
                    "numerator", "denominator", "value")
                for column in (*columns, "comment"):
                    row[column] = stored.get((m.code, site, code), {}).get(column, "")
                if site:
                    row["site"] = site
                yield row
