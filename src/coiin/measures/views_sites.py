"""A team's sites (reporting units): list, add and rename them, name site staff, and
choose which measures the sites report (the team's figure is then their roll-up)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from coiin import access
from coiin.access import Action
from coiin.network import services as network_services
from coiin.network.models import ReportingUnit, TeamMembership
from coiin.web import sign_in_required, team_or_404

from . import services


class SiteForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=160)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ReportingUnit.Kind.choices,
                             initial=ReportingUnit.Kind.HOSPITAL)


def _error_text(form: forms.Form) -> str:
    return "; ".join(f"{form.fields[k].label or k}: {' '.join(v)}" if k in form.fields
                     else " ".join(v) for k, v in form.errors.items())


@require_http_methods(["GET", "POST"])
@sign_in_required
def team_sites(request: HttpRequest, slug: str, postal: str) -> HttpResponse:
    team = team_or_404(request, slug, postal)
    access.require(request.user, Action.MANAGE_SITES, team)
    if request.method == "POST":
        try:
            messages.success(request, _act(request, team))
        except (ValidationError, services.ReportingError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("team_sites", slug, postal)
    units = list(team.reporting_units.prefetch_related("staff__user"))
    measures = services.team_measures(team)
    by_site = {m.pk for m in services.site_measures(team)}
    return render(request, "measures/sites.html", {
        "team": team, "units": units, "form": SiteForm(),
        "measures": [(m, m.pk in by_site) for m in measures
                     if services.may_report_by_site(m)],
        "members": team.memberships.select_related("user", "unit").order_by(
            "user__last_name"),
    })


def _act(request: HttpRequest, team) -> str:
    action = request.POST.get("action")
    if action == "add":
        form = SiteForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_error_text(form))
        unit = network_services.add_reporting_unit(team=team, name=form.cleaned_data["name"],
                                                   kind=form.cleaned_data["kind"])
        return _("%(site)s added to %(team)s's sites.") % {"site": unit, "team": team}
    if action == "rename":
        unit = get_object_or_404(ReportingUnit, team=team, pk=request.POST.get("unit"))
        old = unit.name
        network_services.rename_reporting_unit(unit=unit, name=request.POST.get("name", ""))
        return _("%(old)s is now %(new)s.") % {"old": old, "new": unit.name}
    if action == "by_site":
        ids = set(request.POST.getlist("measures"))
        chosen = [m for m in services.team_measures(team) if str(m.pk) in ids]
        done = services.set_by_site(team=team, measures=chosen)
        return (_("Reported by site: %(codes)s.") % {"codes": ", ".join(m.code for m in done)}
                if done else _("No measure is reported by site."))
    if action == "staff":
        membership = get_object_or_404(TeamMembership, team=team,
                                       pk=request.POST.get("membership"))
        unit_id = request.POST.get("unit") or None
        unit = get_object_or_404(ReportingUnit, team=team, pk=unit_id) if unit_id else None
        network_services.set_member_site(membership=membership, unit=unit)
        who = membership.user.display_name
        return _("%(who)s now enters %(site)s's values only.") % {"who": who, "site": unit} \
            if unit else _("%(who)s now works for the whole team.") % {"who": who}
    raise ValidationError(_("Unknown action."))
