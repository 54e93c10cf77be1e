"""How a learning network's pooled chart of a measure is drawn: the chart type its faculty
(or backbone staff) chose, with who, when and why. The only writer of
``NetworkChartSettings``; each change rebuilds the network's stored pooled summary."""

from __future__ import annotations

from django.db import transaction

from coiin.measures import changes
from coiin.measures.models import Measure
from coiin.network.models import LearningNetwork, User

from .building import chart_types_for
from .models import ChartSettings, NetworkChartSettings
from .services import history_reason


def pooled_chart_types(measure: Measure) -> list[str]:
    """The chart types a network's pooled series of the measure may take: those that suit
    the measure's type (as for a team's own chart), for the measures that are pooled
    (rates and proportions, whose numerators and denominators add up across teams, and
    event logs)."""
    if measure.records_events:
        # Pooled, the teams' events merge into one log; the births between two events of
        # different teams are not known, so only the days between them (t chart) are.
        return ["t"]
    if measure.type != Measure.Type.RATIO or measure.multiplier == 1:
        return []
    return chart_types_for(measure)


def pool_settings(chosen: NetworkChartSettings | None) -> ChartSettings | None:
    """A network's choice as the chart settings its pooled series is built with (unsaved:
    the pool has no team; the default rule set, no baseline)."""
    if chosen is None or not chosen.chart_type:
        return None
    return ChartSettings(chart_type=chosen.chart_type)


@transaction.atomic
def set_network_chart_type(*, network: LearningNetwork, measure: Measure, chart_type: str,
                           user: User, reason: str) -> NetworkChartSettings:
    """The network's choice of pooled chart for the measure ("" : chosen from the data
    again). Refused (ValueError naming what is wrong) for a type that does not suit the
    measure, or without a reason."""
    if chart_type and chart_type not in pooled_chart_types(measure):
        raise ValueError(f"A {chart_type} chart does not suit the pooled {measure.code}.")
    reason = reason.strip()
    if not reason:
        raise ValueError("Say why the pooled chart is drawn this way: the reason is shown "
                         "with it.")
    s = NetworkChartSettings.objects.filter(learning_network=network, measure=measure
                                            ).first() or NetworkChartSettings(
        learning_network=network, measure=measure)  # saved once: one history row a change
    s.chart_type, s.reason, s.updated_by = chart_type, reason, user
    s._change_reason = history_reason(reason)  # type: ignore[attr-defined]  # read by simple_history
    s._history_user = user  # type: ignore[attr-defined]
    s.save()
    network_id, measure_id = network.pk, measure.pk
    changes.after_commit(lambda: _rebuild(network_id, measure_id))
    return s


def _rebuild(network_id: int, measure_id: int) -> None:
    from .summaries.services import refresh_network

    refresh_network(network_id, measure_id)
