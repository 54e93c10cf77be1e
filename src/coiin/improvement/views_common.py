"""Pieces shared by the team and network pages: the aims page and form errors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from coiin.network.models import LearningNetwork, Team
from coiin.web import add_errors

from . import services
from .forms import AimForm
from .models import Aim


def aims_page(request: HttpRequest, *, owner: Team | LearningNetwork,
              network: LearningNetwork, may_edit: bool, goals: dict | None = None,
              template_context: dict) -> HttpResponse:
    """List the owner's aims; POST adds one (form=add), changes one (form=edit, id) or
    removes one (form=remove, id). The caller has checked the right to edit."""
    owner_filter = {"team": owner} if isinstance(owner, Team) else {"learning_network": owner}
    aims = list(Aim.objects.filter(**owner_filter).prefetch_related("measures"))
    form = AimForm(network=network, prefix="new")
    editing = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("form")
        aim = None
        if action in ("edit", "remove"):
            aim = get_object_or_404(Aim, pk=request.POST.get("id"), **owner_filter)
        if action == "remove":
            services.remove_aim(aim=aim)
            messages.success(request, "Aim removed.")
            return redirect(request.path)
        if action not in ("add", "edit"):
            raise Http404
        form = AimForm(request.POST, network=network, prefix="new" if aim is None
                       else f"aim{aim.pk}")
        if form.is_valid():
            try:
                services.save_aim(owner=owner, aim=aim, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, "Aim saved.")
                return redirect(request.path)
        editing = aim
        status = 400
    if editing is None and may_edit and request.GET.get("edit", "").isdigit():
        editing = next((a for a in aims if a.pk == int(request.GET["edit"])), None)
        if editing is not None:
            form = AimForm(network=network, prefix=f"aim{editing.pk}", initial={
                "what": editing.what, "how_much": editing.how_much,
                "by_when": editing.by_when, "measures": list(editing.measures.all())})
    rows = []
    for aim in aims:
        linked = [(m, (goals or {}).get(m.pk)) for m in aim.measures.all()]
        rows.append({"aim": aim, "measures": linked,
                     "form": form if editing is not None and editing.pk == aim.pk else None})
    return render(request, "improvement/aims.html", {
        **template_context, "network": network, "rows": rows, "may_edit": may_edit,
        "form": form if editing is None else AimForm(network=network, prefix="new"),
        "is_team": isinstance(owner, Team),
    }, status=status)
