"""A learning network's pooled chart settings page: its faculty and backbone staff choose
the pooled chart's type, with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coiin import access
from coiin.access import Action
from coiin.measures.models import Measure, TeamMeasure
from coiin.network.models import LearningNetwork
from coiin.web import sign_in_required

from .building import CHART_NAMES
from .forms import NetworkChartForm
from .models import NetworkChartSettings
from .network_settings import pooled_chart_types, set_network_chart_type
from .spec_language import kind_name


@require_http_methods(["GET", "POST"])
@sign_in_required
def network_chart_settings(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    network = get_object_or_404(LearningNetwork, slug=slug)
    access.require(request.user, Action.CHANGE_NETWORK_CHART, network)
    measure = get_object_or_404(Measure, code=code)
    types = pooled_chart_types(measure)
    if not types or not TeamMeasure.objects.filter(team__learning_network=network,
                                                   measure=measure).exists():
        raise Http404  # no pooled chart of this measure in this network
    current = NetworkChartSettings.objects.filter(learning_network=network,
                                                  measure=measure).first()
    initial = {"chart_type": current.chart_type if current else ""}
    form = NetworkChartForm(request.POST or None, chart_types=types, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                set_network_chart_type(network=network, measure=measure,
                                       chart_type=data["chart_type"], user=request.user,
                                       reason=data["reason"])
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Pooled chart settings saved."))
                return redirect(f"{reverse('network_dashboard', args=[network.slug])}"
                                f"?measure={measure.code}")
        status = 400
    history = list(NetworkChartSettings.history.filter(
        learning_network_id=network.pk, measure_id=measure.pk)
        .select_related("history_user").order_by("-history_date")[:20])
    return render(request, "charts/network_settings.html", {
        "network": network, "measure": measure, "form": form, "current": current,
        "chart_name": kind_name(CHART_NAMES.get(current.chart_type, "")) if current else "",
        "history": history,
    }, status=status)
