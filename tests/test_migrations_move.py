"""MIGRATION TEST: models moved between apps keep every row, both ways.

A database holding the demo network (and rows in every moved table) is migrated back to
the layout before the moves, every row of every table is read, then it is migrated
forward again and every row compared: moved tables under their new names, content types
under their new app labels. The database is left fully migrated.

To add a move: put its tables in MOVED_TABLES, its models in MOVED_MODELS, the migrations
just before it in LAYOUT_BEFORE_MOVES, and rows for its tables in _fill_moved_tables().
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [pytest.mark.migrations, pytest.mark.django_db(transaction=True)]

# Every table a move renamed: the name before -> the name after.
MOVED_TABLES: dict[str, str] = {
    # Chart settings, reports -> charts.
    "reports_annotation": "charts_annotation",
    "reports_chartexclusion": "charts_chartexclusion",
    "reports_chartphase": "charts_chartphase",
    "reports_chartsettings": "charts_chartsettings",
    "reports_historicalchartexclusion": "charts_historicalchartexclusion",
    "reports_historicalchartphase": "charts_historicalchartphase",
    "reports_historicalchartsettings": "charts_historicalchartsettings",
    # Storyboards, improvement -> storyboards.
    "improvement_storyboard": "storyboards_storyboard",
    "improvement_storyboardevent": "storyboards_storyboardevent",
}

# Every moved model's content type: (app label before, model) -> app label after.
MOVED_MODELS: dict[tuple[str, str], str] = {
    ("reports", model): "charts"
    for model in ("annotation", "chartexclusion", "chartphase", "chartsettings",
                  "historicalchartexclusion", "historicalchartphase",
                  "historicalchartsettings")
} | {("improvement", model): "storyboards" for model in ("storyboard", "storyboardevent")}

# Migration targets that give the layout before the moves (the last migration of the
# old app before its move; None: none of the new app's migrations).
LAYOUT_BEFORE_MOVES: list[tuple[str, str | None]] = [
    ("reports", "0006_report_jobs"),
    ("charts", None),
    ("improvement", "0002_storyboards"),
    ("storyboards", None),
]

# The migration history itself changes on the way back and forward.
NOT_COMPARED = {"django_migrations"}


def _fill_moved_tables() -> None:
    """Rows in each moved table (and its history), made through the domain functions."""
    from coiin.charts import services as charts
    from coiin.measures.models import Measure
    from coiin.network.models import Team, User

    user = User.objects.order_by("pk").first()
    measures = list(Measure.objects.order_by("code")[:2])
    if not measures:
        from coiin.measures.catalog import load_catalog

        measures = list(load_catalog().values())[:2]
    for team in Team.objects.order_by("pk")[:3]:
        for measure in measures:
            charts.set_rules(team=team, measure=measure, rules="ihi", user=user,
                             reason="The network's coaches use the IHI rules")
            charts.set_baseline(team=team, measure=measure, baseline_end=dt.date(2015, 6, 1),
                                user=user, reason="First year before the change package")
            kept = charts.add_phase(team=team, measure=measure, starts=dt.date(2016, 1, 1),
                                    user=user, reason="New hospital policy in force")
            gone = charts.add_phase(team=team, measure=measure, starts=dt.date(2016, 7, 1),
                                    user=user, reason="Entered by mistake")
            charts.remove_phase(phase=gone, user=user)
            charts.add_exclusion(team=team, measure=measure, period_start=dt.date(2015, 9, 1),
                                 user=user, reason="Data system outage")
            charts.add_annotation(team=team, measure=measure, on=dt.date(2015, 10, 5),
                                  text="Learning session 2", user=user, link="/events/2/")
        charts.add_annotation(team=team, measure=None, on=dt.date(2016, 2, 1),
                              text="New data lead", user=user)
        assert kept.pk
    _fill_storyboards(user)


def _fill_storyboards(user) -> None:
    """Storyboards with their workflow's events, through the storyboard services."""
    from coiin.measures import services as reporting
    from coiin.measures.catalog import default_measure_codes
    from coiin.measures.models import Measure
    from coiin.network.models import Team
    from coiin.storyboards import services as storyboards

    story = {"problem": "Half of the cribs were safe.", "aim": "80 % safe by December.",
             "changes": "Night staff audit cribs.", "results": "Safe cribs rose.",
             "lessons": "Start with one unit."}
    for team in Team.objects.filter(learning_network__slug="safe-sleep").order_by("pk")[:2]:
        measures = list(Measure.objects.filter(
            code__in=default_measure_codes("safe-sleep")).order_by("code"))
        reporting.choose_measures(team=team, measures=measures)
        measure = storyboards.chartable_measures(team).first()
        sb = storyboards.save_storyboard(team=team, user=user, title="Night-shift crib audits",
                                         measure=measure, **story)
        storyboards.submit_storyboard(storyboard=sb, user=user)
        storyboards.request_changes(storyboard=sb, user=user, comment="Say which units.")


def _tables() -> list[str]:
    return sorted(set(connection.introspection.table_names()) - NOT_COMPARED)


def _sort_key(row: Iterable[Any]) -> tuple[tuple[bool, str, str], ...]:
    return tuple((v is None, type(v).__name__, str(v)) for v in row)


def _rows(table: str, columns: list[str] | None = None) -> tuple[list[str], list[tuple]]:
    """(column names, every row sorted) of a table; only ``columns`` if given."""
    quote = connection.ops.quote_name
    wanted = ", ".join(quote(c) for c in columns) if columns else "*"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {wanted} FROM {quote(table)}")  # noqa: S608 - names from introspection
        names = [d[0] for d in cursor.description]
        return names, sorted((tuple(r) for r in cursor.fetchall()), key=_sort_key)


def _snapshot() -> dict[str, tuple[list[str], list[tuple]]]:
    return {table: _rows(table) for table in _tables()}


def _migrate(targets: list[tuple[str, str | None]] | None = None) -> None:
    """To ``targets``, or to the newest migration of every app (nothing if already there:
    even an empty plan costs working out the project's state through every migration)."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    if executor.migration_plan(targets):
        executor.migrate(targets)
    ContentType.objects.clear_cache()


def test_moved_models_keep_every_row_back_and_forward():
    # Georgia's and Alabama's teams: two in Safe Sleep, more than the three the rows need.
    call_command("demo", network_only=True, jurisdictions="GA,AL", stdout=io.StringIO())
    _fill_moved_tables()
    moved_now = {new for new in MOVED_TABLES.values()}
    assert all(_rows(table)[1] for table in moved_now), "every moved table holds rows"
    try:
        _migrate(LAYOUT_BEFORE_MOVES)
        tables = _tables()
        assert set(MOVED_TABLES) <= set(tables)
        assert not moved_now & set(tables)
        before = _snapshot()
        _migrate()
        after_tables = set(_tables())
        for table, (columns, rows) in before.items():
            new = MOVED_TABLES.get(table, table)
            assert new in after_tables, f"{table} is gone"
            _, now = _rows(new, columns)
            if table == "django_content_type":
                rows = sorted((_relabelled(columns, row) for row in rows), key=_sort_key)
            assert now == rows, f"{table} -> {new}: rows differ"
        assert not set(MOVED_TABLES) & after_tables
    finally:
        _migrate()
    _still_usable()


def _relabelled(columns: list[str], row: tuple) -> tuple:
    values = dict(zip(columns, row, strict=True))
    key = (values["app_label"], values["model"])
    values["app_label"] = MOVED_MODELS.get(key, values["app_label"])
    return tuple(values[c] for c in columns)


def _still_usable() -> None:
    """After the round trip the moved models take new rows (keys, sequences, history)."""
    from coiin.charts import services as charts
    from coiin.charts.models import Annotation, ChartSettings
    from coiin.network.models import Team

    team = Team.objects.order_by("pk").first()
    note = charts.add_annotation(team=team, measure=None, on=dt.date(2017, 1, 2),
                                 text="After the move", user=None)
    assert Annotation.objects.filter(pk=note.pk).exists()
    assert ChartSettings.history.count() > 0
    assert ContentType.objects.get_for_model(ChartSettings).app_label == "charts"

    from coiin.storyboards import services as storyboards
    from coiin.storyboards.models import Storyboard

    old = Storyboard.objects.order_by("pk").first()
    new = storyboards.save_storyboard(team=old.team, user=None, title="After the move",
                                      measure=old.measure)
    assert new.pk > old.pk and new.events.exists()
    assert ContentType.objects.get_for_model(Storyboard).app_label == "storyboards"
