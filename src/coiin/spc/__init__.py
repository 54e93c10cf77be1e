"""Statistical process control: run charts, Shewhart charts and special-cause rules.

Pure numpy/scipy; no Django. Formulas follow qicharts2 (Anhøj rules), NHSRplotthedots
(Making Data Count) and the IHI run-chart rules, as written up in the SPC reference SPEC.md.
"""

from .batch import BatchResult, p_chart_batch, runs_analysis_batch, u_chart_batch
from .chart import Chart, Point, qic
from .errors import SPCInputError
from .events import EVENT_CHARTS, Gaps, default_event_chart, event_chart, gaps
from .limits import CHARTS
from .rules_ihi import IHIResult, exact_runs_limits, ihi_rules
from .runcharter import RunSegment, runcharter_signals
from .runs import RunsResult, longest_run_max, n_crossings_min, runs_analysis

__all__ = [
    "CHARTS",
    "EVENT_CHARTS",
    "BatchResult",
    "Chart",
    "Gaps",
    "IHIResult",
    "Point",
    "RunSegment",
    "RunsResult",
    "SPCInputError",
    "default_event_chart",
    "event_chart",
    "exact_runs_limits",
    "gaps",
    "ihi_rules",
    "longest_run_max",
    "n_crossings_min",
    "p_chart_batch",
    "qic",
    "runcharter_signals",
    "runs_analysis",
    "runs_analysis_batch",
    "u_chart_batch",
]
