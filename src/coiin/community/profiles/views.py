"""A person's community profile page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coiin.web import member_required

from . import services
from .forms import ProfileForm
from .models import CommunityProfile


@require_http_methods(["GET", "POST"])
@member_required
def profile(request: HttpRequest) -> HttpResponse:
    current = CommunityProfile.objects.filter(user=request.user).first()
    initial = {"title": request.user.title, **({
        "expertise": ", ".join(t.name for t in current.expertise.all()),
        "about": current.about} if current else {})}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.set_profile(user=request.user, expertise=form.cleaned_data["expertise"],
                             about=form.cleaned_data["about"],
                             title=form.cleaned_data["title"])
        messages.success(request, _("Your community profile is saved."))
        return redirect("community:profile")
    return render(request, "community/profile.html", {"form": form},
                  status=400 if request.method == "POST" else 200)
