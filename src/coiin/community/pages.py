"""Plumbing shared by the community's pages (not views themselves): how a stored file is
handed out. Who may enter at all: ``coiin.web.member_required``."""

from __future__ import annotations

from django.http import FileResponse


def serve_file(stored, name: str, content_type: str) -> FileResponse:
    """Always a download (never rendered by the browser), with the sniffing guard on."""
    response = FileResponse(stored.open("rb"), as_attachment=True, filename=name,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
