"""Primary and complementary suppression: patterns, minimality and the LP proof of safety."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coiin.stats.suppression import (
    LinearTable,
    SuppressionError,
    array_table,
    audit,
    flag_unreliable,
    one_way_table,
    primary_mask,
    suppress,
    two_way_table,
)


def hidden_keys(result) -> list:
    return [k for k in result.reasons if result.suppressed(k)]


def assert_proven_safe(table: LinearTable, result, threshold: int = 10) -> None:
    """The independent audit (two plain LPs per cell) agrees with the result and is safe."""
    plain = audit(table, hidden_keys(result), threshold=threshold)
    assert set(plain) == set(result.intervals)
    for key, iv in plain.items():
        assert iv.width >= threshold - 1e-6 or result.fully_suppressed, (key, iv)
        mine = result.intervals[key]
        assert mine.low == pytest.approx(iv.low, abs=1e-6)
        assert mine.high == pytest.approx(iv.high, abs=1e-6) or mine.high == iv.high == math.inf


# ------------------------------------------------------------------------------ primary


def test_counts_from_one_to_nine_are_primary_and_zero_is_not_by_default() -> None:
    counts = [0, 1, 5, 9, 10, 250]
    assert primary_mask(counts).tolist() == [False, True, True, True, False, False]
    assert primary_mask(counts, suppress_zero=True).tolist() == [True, True, True, True,
                                                                  False, False]
    assert primary_mask(counts, threshold=6).tolist() == [False, True, True, False, False,
                                                          False]


def test_rates_with_fewer_than_twenty_events_are_flagged_unreliable_zero_included() -> None:
    assert flag_unreliable(0)
    assert flag_unreliable(19)
    assert not flag_unreliable(20)
    assert flag_unreliable(29, threshold=30)


def test_a_table_without_small_counts_is_published_whole() -> None:
    result = suppress(two_way_table(np.array([[12, 40], [25, 33]])))
    assert hidden_keys(result) == []
    assert result.intervals == {}
    assert result.published(("grand",)) == 110


# ------------------------------------------------------------------------------ complementary


def test_one_small_cell_in_a_two_by_two_table_takes_the_other_three_cells_with_it() -> None:
    table = two_way_table(np.array([[3, 20], [15, 40]]))
    # On its own, the 3 is recovered by subtraction from its row total (23 - 20).
    alone = audit(table, [("cell", 0, 0)])
    assert alone[("cell", 0, 0)].low == alone[("cell", 0, 0)].high == 3

    result = suppress(table)
    assert result.primary == [("cell", 0, 0)]
    assert result.complementary == [("cell", 0, 1), ("cell", 1, 0), ("cell", 1, 1)]
    assert result.hidden_total == 75  # not a rectangle through the totals (93 or 98)
    for key in [("row", 0), ("row", 1), ("col", 0), ("col", 1), ("grand",)]:
        assert not result.suppressed(key)
    # The 3 can be anything from 0 to 18 for all an intruder knows: 18 >= 10.
    iv = result.intervals[("cell", 0, 0)]
    assert (iv.low, iv.high, iv.width) == (0.0, 18.0, 18.0)
    assert result.intervals[("cell", 1, 1)].low == 37.0
    assert_proven_safe(table, result)


def test_a_zero_beside_a_small_cell_cannot_protect_it() -> None:
    # Hiding the zero with the 3 would leave 3 + 0 = 3 known from the total; the zero can
    # only rise if the 3 falls, so the pair spans at most 3. A larger cell must go instead.
    table = one_way_table({"a": 3, "b": 0, "c": 25, "d": 30})
    result = suppress(table)
    assert result.primary == ["a"]
    assert result.complementary == ["c"]
    assert not result.suppressed("b")
    assert not result.suppressed("total")
    assert result.intervals["a"].width == 28
    assert_proven_safe(table, result)


def test_small_totals_are_suppressed_and_protected_like_cells() -> None:
    table = two_way_table(np.array([[4, 30], [3, 40]]))
    result = suppress(table)
    assert result.reasons[("col", 0)] == "primary"  # 4 + 3 = 7
    # Column 1 must go too: otherwise grand total - column 1 gives column 0.
    assert result.suppressed(("col", 1)) or result.suppressed(("grand",))
    assert len(result.complementary) == 3
    assert_proven_safe(table, result)


def test_a_table_of_only_small_counts_is_fully_suppressed_and_says_so() -> None:
    table = two_way_table(np.array([[2, 3], [1, 2]]))
    result = suppress(table)
    assert result.fully_suppressed
    assert all(result.published(k) is None for k in table.keys)
    assert all(iv.high == math.inf for iv in result.intervals.values())


def test_a_one_way_table_with_one_small_stratum_hides_one_more_stratum() -> None:
    table = one_way_table({"Black": 8, "White": 40, "Hispanic": 25, "Other": 12})
    result = suppress(table)
    assert result.complementary == ["Other"]  # the smallest that protects the 8
    assert result.intervals["Black"].width == 20
    assert_proven_safe(table, result)


def test_tables_that_share_cells_are_protected_together() -> None:
    # Two published tables over the same cells: by stratum and by payer, with one total.
    cells = {"medicaid_black": 4, "medicaid_white": 30, "private_black": 16,
             "private_white": 50, "medicaid": 34, "private": 66, "black": 20, "white": 80,
             "all": 100}
    constraints = [
        ("medicaid", ["medicaid_black", "medicaid_white"]),
        ("private", ["private_black", "private_white"]),
        ("black", ["medicaid_black", "private_black"]),
        ("white", ["medicaid_white", "private_white"]),
        ("all", ["medicaid", "private"]),
        ("all", ["black", "white"]),
    ]
    table = LinearTable(cells, constraints)
    result = suppress(table)
    assert result.primary == ["medicaid_black"]
    assert len(result.complementary) == 3
    assert_proven_safe(table, result)


def test_periods_and_strata_with_totals_in_both_directions() -> None:
    counts = np.array([[[5, 30], [12, 40]], [[14, 22], [2, 35]], [[20, 28], [11, 19]]])
    table = array_table(counts)  # 3 periods x 2 strata x 2 payers, every margin
    result = suppress(table)
    assert set(result.primary) == {(0, 0, 0), (1, 1, 0)}
    assert result.safe
    assert_proven_safe(table, result)


@pytest.mark.parametrize(
    ("counts", "minimum"),
    [
        ([[3, 20], [15, 40]], 3),
        ([[3, 20, 30], [15, 40, 22], [18, 25, 60]], 3),  # one rectangle
        ([[3, 4, 50], [20, 30, 40], [25, 35, 45]], 4),  # 3 + 4 < 10: a third column too
        ([[4, 30], [3, 40]], 3),
        ([[12, 5, 40], [30, 6, 28]], 2),  # two small cells share a column: one more column
    ],
)
def test_the_heuristic_hides_the_known_minimum_number_of_cells(
    counts: list[list[int]], minimum: int
) -> None:
    table = two_way_table(np.array(counts))
    greedy = suppress(table, method="greedy")
    exact = suppress(table, method="exact")
    assert len(exact.complementary) == minimum
    assert len(greedy.complementary) == minimum
    assert greedy.hidden_total == exact.hidden_total
    assert_proven_safe(table, greedy)


def test_the_same_table_always_gives_the_same_pattern() -> None:
    rng = np.random.default_rng(7)
    counts = rng.poisson(rng.lognormal(2.0, 1.0, size=(8, 1)) * np.ones((8, 6)))
    table = array_table(counts)
    first = suppress(table)
    for _ in range(2):
        again = suppress(array_table(counts.copy()))
        assert again.reasons == first.reasons
        assert again.intervals == first.intervals


def test_suppress_zero_hides_zeros_as_primary() -> None:
    table = one_way_table({"a": 0, "b": 30, "c": 25})
    assert not suppress(table).suppressed("a")
    result = suppress(table, suppress_zero=True)
    assert result.reasons["a"] == "primary"
    assert result.intervals["a"].width >= 10
    assert_proven_safe(table, result)


def test_the_threshold_is_configurable() -> None:
    table = one_way_table({"a": 4, "b": 30, "c": 25})
    assert suppress(table, threshold=4).reasons["a"] is None
    result = suppress(table, threshold=5)
    assert result.reasons["a"] == "primary"
    assert result.complementary == ["c"]
    assert result.intervals["a"].required == 5


def test_a_larger_table_gets_the_same_intervals_as_the_plain_audit() -> None:
    rng = np.random.default_rng(3)
    means = rng.lognormal(np.log(10.0), 1.0, size=(12, 1))
    table = array_table(rng.poisson(means * np.ones((12, 6))))
    result = suppress(table)
    assert result.primary
    assert_proven_safe(table, result)


def test_bad_tables_are_refused_with_the_cell_named() -> None:
    with pytest.raises(SuppressionError, match="'a'.*negative"):
        one_way_table({"a": -1, "b": 3})
    with pytest.raises(SuppressionError, match="'a'.*integer"):
        LinearTable({"a": 1.5, "t": 1.5}, [("t", ["a"])])
    with pytest.raises(SuppressionError, match="not the sum"):
        LinearTable({"a": 1, "b": 2, "t": 4}, [("t", ["a", "b"])])
    with pytest.raises(SuppressionError, match="unknown cell 'c'"):
        LinearTable({"a": 1, "t": 1}, [("t", ["a", "c"])])
    with pytest.raises(SuppressionError, match="missing cell row 'x', col 2"):
        two_way_table({("x", 1): 3, ("y", 1): 4, ("y", 2): 5})


# ------------------------------------------------------------------------------ property


small_tables = st.integers(2, 4).flatmap(
    lambda r: st.integers(2, 4).flatmap(
        lambda c: st.lists(
            st.lists(st.one_of(st.integers(0, 12), st.integers(10, 60)), min_size=c,
                     max_size=c),
            min_size=r, max_size=r,
        )
    )
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_tables)
def test_every_suppressed_cell_of_any_small_table_is_protected(counts: list[list[int]]) -> None:
    table = two_way_table(np.array(counts))
    result = suppress(table)
    values = table.cells
    for key, value in values.items():
        if 1 <= value <= 9:
            assert result.reasons[key] == "primary"
        elif result.suppressed(key):
            assert result.reasons[key] == "complementary"
        assert (result.published(key) is None) == result.suppressed(key)
    plain = audit(table, hidden_keys(result))
    for key, iv in plain.items():
        # Either the width reaches the threshold, or nothing at all was published.
        assert iv.width >= 10 - 1e-6 or result.fully_suppressed, (key, iv, counts)
    assert result.fully_suppressed == all(result.suppressed(k) for k in values)
