"""Rates published with both parts: the intruder knows numerator <= denominator; latent cells."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coiin.stats.suppression import LinearTable, SuppressionError, audit, suppress

THRESHOLD = 10


def rate_table(num: list[int], den: list[int], *, ordered: bool = True) -> LinearTable:
    """Strata of a rate and their totals: numerators and denominators, each with a total."""
    cells = {("n", i): c for i, c in enumerate(num)}
    cells |= {("d", i): c for i, c in enumerate(den)}
    cells[("n", "total")] = sum(num)
    cells[("d", "total")] = sum(den)
    cons = [(("n", "total"), [("n", i) for i in range(len(num))]),
            (("d", "total"), [("d", i) for i in range(len(den))])]
    ineq = [(("n", i), ("d", i)) for i in range(len(num))] if ordered else []
    return LinearTable(cells, cons, ineq)


def hidden(result) -> list:
    return [k for k, r in result.reasons.items() if r is not None]


def test_the_inequality_narrows_a_pattern_that_is_safe_without_it():
    """18 of 20 births in one stratum, 0 of 5 in the other: hiding the 5 and the 20 would
    leave 20 + 5 = 25 with at least 18 in the first, so the 5 is at most 7."""
    plain = rate_table([18, 0], [20, 5], ordered=False)
    naive = suppress(plain)
    assert set(hidden(naive)) == {("d", 0), ("d", 1)}
    ordered = rate_table([18, 0], [20, 5])
    attacked = audit(ordered, hidden(naive))
    assert attacked[("d", 1)].width < THRESHOLD  # the gap this closes
    result = suppress(ordered)
    intervals = audit(ordered, hidden(result))
    assert all(iv.width >= THRESHOLD - 1e-6 for iv in intervals.values()), intervals
    assert set(hidden(result)) != set(hidden(naive))  # a different pattern was needed


def test_a_published_denominator_caps_a_hidden_numerator():
    result = suppress(rate_table([3, 40], [12, 500]))
    intervals = audit(rate_table([3, 40], [12, 500]), hidden(result))
    assert ("n", 0) in intervals
    assert all(iv.width >= THRESHOLD - 1e-6 for iv in intervals.values())


def test_an_inequality_that_does_not_hold_is_refused():
    with pytest.raises(SuppressionError, match="does not hold"):
        LinearTable({"a": 5, "b": 3}, [], [("a", "b")])
    with pytest.raises(SuppressionError, match="unknown cell"):
        LinearTable({"a": 5}, [], [("a", "b")])


def test_latent_cells_are_never_published_and_small_ones_are_protected():
    # Two published network sums over three jurisdictions, jurisdictions latent.
    cells = {"A": 3, "B": 40, "C": 25, "n1": 43, "n2": 65}
    table = LinearTable(cells, [("n1", ["A", "B"]), ("n2", ["B", "C"])])
    result = suppress(table, latent=["A", "B", "C"])
    assert {k for k, r in result.reasons.items() if r == "latent"} == {"A", "B", "C"}
    assert result.primary == []  # latent cells are reported as latent, even small ones
    intervals = audit(table, hidden(result))
    assert intervals["A"].width >= THRESHOLD  # the small latent count is protected
    # The big latent counts need no width of their own.
    assert result.intervals["B"].required == 0 and result.intervals["C"].required == 0
    with pytest.raises(SuppressionError, match="latent cell 'X'"):
        suppress(table, latent=["X"])


def test_tables_without_inequalities_or_latent_cells_are_unchanged():
    table = rate_table([3, 40, 25], [300, 900, 700], ordered=False)
    assert suppress(table).reasons == suppress(table, latent=()).reasons


counts = st.integers(min_value=0, max_value=60)


@st.composite
def rate_tables(draw):
    """Random strata (2-4) of a rate, with numerators up to their denominators, many small."""
    k = draw(st.integers(min_value=2, max_value=4))
    den = [draw(st.one_of(st.integers(0, 12), counts)) for _ in range(k)]
    num = [draw(st.integers(0, d)) for d in den]
    return num, den


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rate_tables())
def test_an_intruder_using_numerator_at_most_denominator_never_narrows_a_cell(pair):
    num, den = pair
    table = rate_table(num, den)
    result = suppress(table)
    intervals = audit(table, hidden(result))  # plain LPs with the inequalities as A_ub
    for key, iv in intervals.items():
        need = result.intervals[key].required
        assert iv.width >= need - 1e-6, (key, iv, num, den)
        assert iv.low == pytest.approx(result.intervals[key].low, abs=1e-6)
        assert iv.high == pytest.approx(result.intervals[key].high, abs=1e-6)
    for key, count in table.cells.items():
        if 1 <= count < THRESHOLD:
            assert result.suppressed(key), key
