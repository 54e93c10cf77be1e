"""Every refusal of the SPC engine reads in the reader's language: each ``SPCInputError``
raised in ``coiin.spc`` carries a code, and each code has its words in ``spc_words`` with
the same values as the English message; one a page cannot trigger reads in Spanish too."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np
import pytest
from django.utils import translation

from coiin.charts.said import word
from coiin.charts.spc_words import _IN_PART, MESSAGES, error_said
from coiin.spc import SPCInputError, qic
from coiin.spc.batch import p_chart_batch
from coiin.spc.events import event_chart

SPC = Path(__file__).resolve().parents[2] / "src" / "coiin" / "spc"


def _raised() -> dict[str, list[str]]:
    """{code: where} for every ``SPCInputError(...)`` in the engine; a call without a code,
    or with one that is not a literal, is listed under ""."""
    found: dict[str, list[str]] = {}
    for path in sorted(SPC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "SPCInputError"):
                continue
            where = f"{path.name}:{node.lineno}"
            code = next((k.value for k in node.keywords if k.arg == "code"), None)
            if isinstance(code, ast.Name) and path.name == "batch.py":
                # _check picks the code from its table of checks: each literal there.
                codes = [c.value for c in ast.walk(tree) if isinstance(c, ast.Constant)
                         and isinstance(c.value, str) and c.value.startswith("batch_")]
            elif isinstance(code, ast.IfExp):
                codes = [code.body.value, code.orelse.value]  # type: ignore[attr-defined]
            elif isinstance(code, ast.Constant) and code.value:
                codes = [code.value]
            else:
                codes = [""]
            for c in codes:
                found.setdefault(c, []).append(where)
    return found


def test_every_error_the_engine_raises_has_a_code_with_its_words():
    raised = _raised()
    assert "" not in raised, f"SPCInputError without a code: {raised['']}"
    assert len(raised) >= 40
    unworded = sorted(c for c in raised if f"spc:{c}" not in MESSAGES)
    assert not unworded, f"codes with no words in charts/spc_words.py: {unworded}"
    assert all(f"spc:{c}" in MESSAGES for c in _IN_PART.values())


def test_each_wording_has_its_spanish_with_the_same_values():
    for key, message in MESSAGES.items():
        if not key.startswith("spc:"):
            continue
        with translation.override("es"):
            spanish = str(message)
        with translation.override("en"):
            english = str(message)
        assert spanish != english, f"{key} has no Spanish"
        assert sorted(re.findall(r"%\((\w+)\)s", spanish)) == sorted(
            re.findall(r"%\((\w+)\)s", english)), key


@pytest.mark.parametrize(("make", "spanish"), [
    (lambda: qic([1, 2, 3], chart="z"),
     "gráfico desconocido 'z'; escoja uno de "),
    (lambda: qic([1, 2, 3], chart="c", n=[5, 5, 5]),
     "un gráfico c no lleva denominadores; use un gráfico u o p para las tasas"),
    (lambda: qic([1, 2, 3], x=["a", "b"]),
     "hay 2 períodos pero 3 valores"),
    (lambda: qic([1, "dos", 3]),
     "fila 2: y es 'dos', no un número"),
    (lambda: p_chart_batch(np.array([[1.0, 2.0]]), np.array([[5.0, 1.0]])),
     "serie 1, punto 2: el numerador es mayor que el denominador; una proporción no puede "
     "ser mayor que 1"),
    (lambda: event_chart("xbar", []),
     "un registro de eventos se grafica como gráfico g o t, no 'xbar'"),
])
def test_an_error_no_page_can_trigger_reads_in_spanish(make, spanish):
    with pytest.raises(SPCInputError) as caught:
        make()
    said = error_said(caught.value)
    assert isinstance(said, dict), f"{caught.value} has no words"
    with translation.override("es"):
        assert word(said).startswith(spanish)
    with translation.override("en"):
        assert word(said) != word({"id": "spc:empty"})
