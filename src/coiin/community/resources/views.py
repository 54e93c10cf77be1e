"""The resource library: list, add, one resource with its versions, downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coiin import access
from coiin.access import Action
from coiin.web import member_required

from ..models import Tag
from ..pages import serve_file
from ..responses import form_errors
from ..services import tag_for
from . import services
from .forms import ResourceForm, VersionForm
from .models import Resource, ResourceVersion


@require_http_methods(["GET", "POST"])
@member_required
def library(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require(user, Action.ADD_RESOURCE if request.method == "POST" else Action.VIEW_RESOURCE)
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resource = services.add_resource(
                by=user, title=data["title"], description=data["description"],
                url=data["url"], file=data["file"], network=data["network"],
                tags=[tag_for(m) for m in data["measures"]])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Added to the library."))
            return redirect(resource)
    items = Resource.objects.select_related("network", "created_by").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.select_related("measure", "network")
                 .prefetch_related("target")))
    network = request.GET.get("network", "")
    if network:
        items = items.filter(network__slug=network)
    q = request.GET.get("q", "").strip()
    if q:
        items = items.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return render(request, "community/resources.html", {
        "page": Paginator(items, 30).get_page(request.GET.get("page")), "form": form,
        "may_add": access.can(user, Action.ADD_RESOURCE), "q": q, "network": network,
    }, status=400 if request.method == "POST" else 200)


@require_GET
@member_required
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, Action.VIEW_RESOURCE)
    resource = get_object_or_404(Resource.objects.select_related("network", "created_by"),
                                 pk=pk)
    return render(request, "community/resource.html", {
        "resource": resource, "versions": list(resource.versions.select_related("uploaded_by")),
        "tags": list(resource.tags.select_related("measure", "network")
                     .prefetch_related("target")),
        "may_edit": access.can(request.user, Action.EDIT_RESOURCE, resource),
        "form": VersionForm(),
        "posts": access.visible_posts(request.user, resource.posts.filter(hidden=False))[:10],
    })


@require_POST
@member_required
def add_version(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, Action.ADD_RESOURCE)
    resource = get_object_or_404(Resource, pk=pk)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            v = services.add_version(resource=resource, by=request.user,
                                      file=form.cleaned_data["file"],
                                      note=form.cleaned_data["note"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Version %(number)s uploaded; earlier versions stay "
                                        "available.") % {"number": v.number})
            return redirect(resource)
    return render(request, "community/resource.html", {
        "resource": resource, "versions": list(resource.versions.all()),
        "tags": list(resource.tags.select_related("measure", "network")
                     .prefetch_related("target")), "form": form,
        "may_edit": access.can(request.user, Action.EDIT_RESOURCE, resource), "posts": [],
    }, status=400)


@require_GET
@member_required
def resource_file(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    access.require(request.user, Action.VIEW_RESOURCE)
    version = get_object_or_404(ResourceVersion, resource_id=pk, number=number)
    return serve_file(version.file, version.name, version.content_type)
