"""A small multiple's x axis names each year once, in English and in Spanish: four ticks
over a year or two fall on quarters, and a year format gave "2015 2015 2015 2016"."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import translation

from coiin.charts import spec_language
from coiin.charts.summaries.stored import YEAR_ONCE, mini_template


@pytest.mark.parametrize("language", ["en", "es"])
def test_each_year_is_labelled_once(language):
    measure = SimpleNamespace(name="Infants in a safe sleep environment", unit="%",
                              national_target=None)
    with translation.override(language):
        spec = spec_language.in_language(mini_template(measure, "p", (0.0, 1.0),
                                                       ("2015-01-01", "2016-02-01")))
    assert spec is not None
    axes = [layer["encoding"]["x"]["axis"] for layer in spec["layer"]
            if "x" in layer.get("encoding", {})]
    assert axes and all(axis == axes[0] for axis in axes)
    axis = axes[0]
    # No year format on every tick: the first tick and each January only carry the year.
    assert "format" not in axis
    assert axis["labelExpr"] == YEAR_ONCE
    assert "month(datum.value) === 0" in YEAR_ONCE and "datum.index === 0" in YEAR_ONCE
    assert "timeFormat(datum.value, '%Y')" in YEAR_ONCE
