"""The network page's funnel plot for a Spanish reader: its teams are read from the funnel's
CSV (where each team falls kept as a code there), and its legend, tooltip and description
name them in the reader's words; an English reader's are English."""

from __future__ import annotations

import json
import re

import pytest

from .test_dashboards import _more_teams

pytestmark = pytest.mark.xdist_group("dashboards")


def _funnel(html: str) -> dict:
    found = re.search(r'id="spec-funnel" type="application/json">(.*?)</script>', html, re.S)
    assert found, "no funnel on the page"
    return json.loads(found.group(1))


def _points(spec: dict) -> dict:
    return next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")


def test_the_funnel_read_from_its_csv_speaks_the_reader_s_language(
        client, backbone, crib_data, texas_crib, jurisdictions, networks, catalog):
    _more_teams(jurisdictions, networks, catalog, backbone, ["AL"])  # 3 teams: a funnel
    client.force_login(backbone)
    url = "/networks/safe-sleep/charts/?measure=SS-CRIB"
    spanish = _funnel(client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode())
    points = _points(spanish)
    assert points["data"]["url"].startswith("/networks/safe-sleep/charts/funnel.csv")
    legend = points["encoding"]["shape"]["legend"]["labelExpr"]
    assert "'dentro de los límites'" in legend and "'por encima del 99.8%'" in legend
    assert points["encoding"]["tooltip"][-1]["title"] == "Frente a los límites"
    assert spanish["description"].endswith("2015-12: gráfico de embudo")
    # The CSV keeps the codes the legend names.
    csv = client.get(points["data"]["url"], HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert csv.splitlines()[1].split(",")[5] == "inside"

    english = _funnel(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "'inside'" in _points(english)["encoding"]["shape"]["legend"]["labelExpr"]
    assert "límites" not in json.dumps(_points(english), ensure_ascii=False)
    assert english["description"].endswith("2015-12: funnel plot")
