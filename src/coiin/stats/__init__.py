"""Statistics for the network: disclosure control, funnel plots, pooling and disparities.

Pure numpy/scipy; no Django.
"""

from .aggregate import Pooled, RateRatio, pool, ratio
from .funnel import (
    FunnelLimits,
    classify,
    funnel_curve,
    funnel_limits,
    overdispersion,
    pooled_target,
    z_value,
)
from .suppression import (
    AuditError,
    Interval,
    LinearTable,
    SuppressionError,
    SuppressionResult,
    array_table,
    audit,
    flag_unreliable,
    one_way_table,
    primary_mask,
    suppress,
    two_way_table,
)

__all__ = [
    "AuditError",
    "FunnelLimits",
    "Interval",
    "LinearTable",
    "Pooled",
    "RateRatio",
    "SuppressionError",
    "SuppressionResult",
    "array_table",
    "audit",
    "classify",
    "flag_unreliable",
    "funnel_curve",
    "funnel_limits",
    "one_way_table",
    "overdispersion",
    "pool",
    "pooled_target",
    "primary_mask",
    "ratio",
    "suppress",
    "two_way_table",
    "z_value",
]
