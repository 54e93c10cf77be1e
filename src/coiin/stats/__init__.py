"""Statistics for the network: disclosure control, funnel plots, pooling and disparities.

Pure numpy/scipy; no Django. The names below are imported on first use (PEP 562), so a
process that only needs, say, a rate ratio never loads scipy's optimiser and sparse
matrices for disclosure control.
"""

from typing import TYPE_CHECKING

from coiin.lazy import lazy_names

if TYPE_CHECKING:
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

_HOME = {
    "AuditError": "suppression",
    "FunnelLimits": "funnel",
    "Interval": "suppression",
    "LinearTable": "suppression",
    "Pooled": "aggregate",
    "RateRatio": "aggregate",
    "SuppressionError": "suppression",
    "SuppressionResult": "suppression",
    "array_table": "suppression",
    "audit": "suppression",
    "classify": "funnel",
    "flag_unreliable": "suppression",
    "funnel_curve": "funnel",
    "funnel_limits": "funnel",
    "one_way_table": "suppression",
    "overdispersion": "funnel",
    "pool": "aggregate",
    "pooled_target": "funnel",
    "primary_mask": "suppression",
    "ratio": "aggregate",
    "suppress": "suppression",
    "two_way_table": "suppression",
    "z_value": "funnel",
}


__getattr__ = lazy_names(__name__, _HOME)


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
