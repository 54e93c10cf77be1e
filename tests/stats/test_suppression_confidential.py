"""Confidential cells (never shown, always protected) and cells published elsewhere."""

from __future__ import annotations

import pytest

from coiin.stats.suppression import SuppressionError, audit, one_way_table, suppress


def hidden(result) -> set:
    return {k for k in result.reasons if result.suppressed(k)}


def test_a_confidential_total_is_hidden_and_cannot_be_worked_out_whatever_its_count():
    table = one_way_table({"a": 40, "b": 30, "c": 50})
    result = suppress(table, method="greedy", confidential={"total"})
    assert result.reasons["total"] == "latent"
    assert result.intervals["total"].width >= 10
    assert len(hidden(result) - {"total"}) >= 1  # else the shown parts add up to it
    for key, iv in audit(table, hidden(result)).items():
        assert iv.width >= 10, key


@pytest.mark.parametrize("method", ["greedy", "exact", "auto"])
def test_a_published_cell_is_never_hidden_and_the_small_one_stays_protected(method):
    table = one_way_table({"a": 3, "b": 12, "c": 40})
    result = suppress(table, method=method, published={"total"})
    assert result.published("total") == 55
    assert result.suppressed("a")
    for key, iv in audit(table, hidden(result)).items():
        assert iv.width >= 10, key


def test_a_cell_cannot_be_both_latent_and_published():
    table = one_way_table({"a": 3, "b": 12})
    with pytest.raises(SuppressionError):
        suppress(table, latent={"a"}, published={"a"})
    with pytest.raises(SuppressionError):
        suppress(table, published={"nowhere"})
