"""The public-output rules of a release: thresholds, flags, levels, and what is published."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from coiin.measures.models import Measure

from ..models import PublishedMeasure

Level = PublishedMeasure.Level
PUBLISHABLE_TYPES = (Measure.Type.RATIO, Measure.Type.COUNT)
# Raised when the way a release is computed changes, so that cached releases are redone.
ALGORITHM_VERSION = 2
NATIONAL = "US"
REST = "*"  # a jurisdiction-year's count outside the published strata (latent)
SUPPRESSED = "suppressed"
UNRELIABLE = "unreliable"
SYNTHETIC = "synthetic"  # the note on a row whose figures are not real


def threshold() -> int:
    """Counts from 1 to this minus one are suppressed."""
    return int(getattr(settings, "PUBLIC_SUPPRESSION_THRESHOLD", 10))


def unreliable_below() -> int:
    """Rates whose numerator is under this are flagged unreliable."""
    return int(getattr(settings, "PUBLIC_UNRELIABLE_BELOW", 20))


class PublishError(ValueError):
    """A measure that cannot be published (its type has no counts to protect)."""


def whole_count(v: Decimal | None, what: str) -> int:
    """A reported value as a whole count (publishable), or ``PublishError`` saying why not."""
    if v is None:
        raise PublishError(_("%(what)s is missing") % {"what": what})
    if v != v.to_integral_value() or v < 0:
        raise PublishError(_("%(what)s %(value)s is not a whole count; it cannot be published")
                           % {"what": what, "value": v})
    return int(v)


# ci_lower, ci_upper: a survey estimate's 95 % interval (blank for counted rates); note:
# what the reader must know of the row (e.g. that its figures are synthetic).
CSV_HEADER = ["measure", "level", "unit", "unit_name", "year", "numerator",
              "numerator_flag", "denominator", "denominator_flag", "rate", "rate_flag",
              "stratum", "ci_lower", "ci_upper", "note"]
