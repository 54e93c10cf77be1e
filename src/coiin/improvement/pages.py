"""Pages shared by the team and network views (not views themselves): the aims page, and
the driver diagram page with its editing forms and its SVG, JSON and CSV downloads."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from coiin.network.models import LearningNetwork, Team
from coiin.web import add_errors

from . import diagram, services
from .forms import AimForm, NodeEditForm, NodeForm, network_measures
from .models import Aim, Driver, DriverDiagram

Owner = Team | LearningNetwork


def _picture(dd: DriverDiagram, nodes: list[Driver]) -> tuple[diagram.Layout, list[diagram.Node]]:
    items = [diagram.Node(n.pk, n.kind, n.text, n.parent_id,
                          _("Measure: %(code)s") % {"code": n.measure.code}
                          if n.measure_id else "",
                          n.change_idea.get_absolute_url() if n.change_idea_id else "",
                          n.language)
             for n in nodes]
    return diagram.layout(dd.aim.statement if dd.aim else str(_("No aim yet.")), items,
                          dd.aim.language if dd.aim else ""), items


def _nodes(dd: DriverDiagram) -> list[Driver]:
    return list(Driver.objects.filter(diagram=dd).select_related(
        "measure", "change_idea__learning_network").order_by("position", "pk"))


def _title(owner: Owner) -> str:
    return _("Driver diagram: %(owner)s") % {"owner": owner}


def _headings() -> tuple[str, ...]:
    """The columns' headings (diagram.HEADINGS) in the reader's language."""
    return (_("Aim"), _("Primary drivers"), _("Secondary drivers"), _("Change ideas"))


def diagram_page(request: HttpRequest, *, owner: Owner, network: LearningNetwork,
                 may_edit: bool, context: dict) -> HttpResponse:
    """Draw the diagram; POST (the caller has checked the right to edit) changes it."""
    dd = services.diagram_for(owner) if may_edit else (
        DriverDiagram.objects.filter(**_owner(owner)).select_related("aim").first())
    add_form = NodeForm(diagram=dd, prefix="add") if dd is not None and may_edit else None
    status = 200
    if request.method == "POST":
        assert dd is not None
        done, add_form = _apply(request, dd, add_form)
        if done:
            messages.success(request, done)
            return redirect(request.path)
        status = 400
    nodes = _nodes(dd) if dd is not None else []
    picture = None
    if dd is not None:
        lay, _ = _picture(dd, nodes)
        drawn = diagram.render_svg(lay, title=_title(owner), headings=_headings())
        picture = mark_safe(drawn)  # noqa: S308 - all text escaped by render_svg
    by_parent: dict[int | None, list[Driver]] = {}
    for n in nodes:
        by_parent.setdefault(n.parent_id, []).append(n)
    outline = []

    def walk(parent: int | None, depth: int) -> None:
        for n in by_parent.get(parent, []):
            outline.append((n, depth))
            walk(n.pk, depth + 1)

    walk(None, 0)
    return render(request, "improvement/diagram.html", {
        **context, "network": network, "diagram": dd, "picture": picture, "outline": outline,
        "add_form": add_form, "may_edit": may_edit,
        "measures": list(network_measures(network)) if may_edit else [],
        "aims": list(Aim.objects.filter(**_owner(owner))) if may_edit else [],
        "is_team": isinstance(owner, Team),
    }, status=status)


def _owner(owner: Owner) -> dict[str, object]:
    return {"team": owner} if isinstance(owner, Team) else {"learning_network": owner}


def _apply(request: HttpRequest, dd: DriverDiagram, add_form: NodeForm | None
           ) -> tuple[str, NodeForm | None]:
    action = request.POST.get("form")
    if action == "add":
        form = NodeForm(request.POST, diagram=dd, prefix="add")
        if form.is_valid():
            try:
                node = services.add_node(diagram=dd, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                return _("Added: %(text)s.") % {"text": node.text}, add_form
        return "", form
    if action == "aim":
        aim = None
        if request.POST.get("aim"):
            aim = get_object_or_404(Aim, pk=request.POST["aim"], **_owner(dd.owner))
        services.set_diagram_aim(diagram=dd, aim=aim)
        return _("The diagram's aim is set."), add_form
    node = get_object_or_404(Driver, pk=request.POST.get("id"), diagram=dd)
    if action == "edit":
        form = NodeEditForm(request.POST, network=dd.network)
        if form.is_valid():
            try:
                services.change_node(node=node, text=form.cleaned_data["text"],
                                     measure=form.cleaned_data["measure"],
                                     change_idea=node.change_idea)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return "", add_form
            return _("Saved: %(text)s.") % {"text": node.text}, add_form
        messages.error(request, _("Write the text of the box."))
        return "", add_form
    if action == "remove":
        services.remove_node(node=node)
        return _("Removed: %(text)s (and everything under it).") % {"text": node.text}, add_form
    if action in ("up", "down"):
        services.move_node(node=node, step=-1 if action == "up" else 1)
        return _("Moved: %(text)s.") % {"text": node.text}, add_form
    raise Http404


def export(owner: Owner, fmt: str, *, stem: str) -> HttpResponse:
    dd = DriverDiagram.objects.filter(**_owner(owner)).select_related("aim").first()
    if dd is None:
        raise Http404
    nodes = _nodes(dd)
    lay, items = _picture(dd, nodes)
    aim = dd.aim.statement if dd.aim else ""
    if fmt == "svg":
        body = '<?xml version="1.0" encoding="UTF-8"?>\n' + diagram.render_svg(
            lay, title=_title(owner), standalone=True, headings=_headings())
        response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
    elif fmt == "json":
        response = HttpResponse(json.dumps(diagram.as_tree(aim, items), indent=2),
                                content_type="application/json")
    elif fmt == "csv":
        response = HttpResponse(diagram.as_csv(aim, items), content_type="text/csv; "
                                "charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


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
            messages.success(request, _("Aim removed."))
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
                messages.success(request, _("Aim saved."))
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
