"""Plumbing shared by the community's pages (not views themselves): who may enter at all,
and how a stored file is handed out."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest

from coiin import access


def member_required(view):
    """Anonymous people sign in first; signed-in people with no place in the network
    get 404 (the community does not exist for them)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not access.is_network_member(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def serve_file(stored, name: str, content_type: str) -> FileResponse:
    """Always a download (never rendered by the browser), with the sniffing guard on."""
    response = FileResponse(stored.open("rb"), as_attachment=True, filename=name,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
