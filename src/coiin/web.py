"""View plumbing shared by every app's pages: sign-in, fetching and authorising a team,
form errors, the chart CSP."""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import wraps
from typing import Any

from csp.decorators import csp_update
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from coiin import access
from coiin.access import Action
from coiin.network.models import Team

# Vega compiles its expressions with Function(): chart pages allow eval for scripts,
# and nothing else is loosened.
vega_csp = csp_update({"script-src": ["'unsafe-eval'"]})

View = Callable[..., HttpResponse]


def sign_in_required(view: View | None = None, *, then: Callable[..., str] | None = None,
                     methods: Collection[str] | None = None) -> Any:
    """Anonymous visitors go to the sign-in page (``?next=``) and come back to this page;
    a view that only takes a POST names the page to come back to with ``then``, called
    with the view's arguments. With ``methods``, only those need signing in (a public
    page whose form is for members). Who may then see what is for ``coiin.access``."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated and (
                    methods is None or request.method in methods):
                back = then(request, *args, **kwargs) if then else request.get_full_path()
                return redirect_to_login(back)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate


def member_required(view: View) -> View:
    """Signed in (as ``sign_in_required``) and a member of the network; anyone else 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.is_network_member(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return sign_in_required(wrapped)  # type: ignore[no-any-return]


_TEAMS = Team.objects.select_related("jurisdiction__cohort", "learning_network")


def find_team(slug: str, postal: str) -> Team | None:
    """The team a URL names by its network's slug and its jurisdiction's postal code."""
    return _TEAMS.filter(learning_network__slug=slug,
                         jurisdiction__postal_code=postal.upper()).first()


def team_or_404(request: HttpRequest, slug: str, postal: str,
                action: Action | None = None) -> Team:
    """The team a URL names, or 404; with an action, authorised by ``access.require``
    (outsiders 404, those who may see it but not do this 403)."""
    team = get_object_or_404(_TEAMS, learning_network__slug=slug,
                             jurisdiction__postal_code=postal.upper())
    if action is not None:
        access.require(request.user, action, team)
    return team


def team_by_pk_or_404(request: HttpRequest, pk: int | str,
                      action: Action | None = None) -> Team:
    """The team with this id (a form's or a query's), or 404; authorised as
    ``team_or_404``."""
    if not str(pk).isdigit():
        raise Http404
    team = get_object_or_404(_TEAMS, pk=int(pk))
    if action is not None:
        access.require(request.user, action, team)
    return team


def add_errors(form: Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or on the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
