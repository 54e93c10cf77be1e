"""The public-output rules: which counts are small, which rates unreliable, and the errors."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Literal

import numpy as np

Key = Hashable
Reason = Literal["primary", "complementary", "latent"]
Method = Literal["auto", "greedy", "exact"]

DEFAULT_THRESHOLD = 10
UNRELIABLE_BELOW = 20


class SuppressionError(ValueError):
    """A table that cannot be suppressed as given (bad counts or constraints)."""


class AuditError(RuntimeError):
    """The final audit found an unprotected cell: a bug; the pattern must not be published."""


def flag_unreliable(numerator: float, threshold: int = UNRELIABLE_BELOW) -> bool:
    """Whether a rate with this numerator is flagged unreliable (numerator below ``threshold``).

    Works elementwise on a numpy array too. Follows the NCHS convention that rates based on
    fewer than 20 events are unreliable.
    Zero is flagged too: a rate of zero from a handful of births says as little as a rate
    from three deaths. The rate is still shown; the flag is shown beside it.
    """
    return numerator < threshold


def primary_mask(
    counts: np.ndarray | Sequence[int], threshold: int = DEFAULT_THRESHOLD,
    *, suppress_zero: bool = False,
) -> np.ndarray:
    """Boolean mask of counts that are primary-suppressed (1..threshold-1, and 0 if asked)."""
    c = np.asarray(counts)
    low = 0 if suppress_zero else 1
    return (c >= low) & (c < threshold)
