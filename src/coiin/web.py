"""View plumbing shared by every app's pages: sign-in, form errors, the chart CSP."""

from __future__ import annotations

from csp.decorators import csp_update
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse

# Vega compiles its expressions with Function(): chart pages allow eval for scripts,
# and nothing else is loosened.
vega_csp = csp_update({"script-src": ["'unsafe-eval'"]})


def sign_in_first(request: HttpRequest) -> HttpResponse | None:
    """The sign-in page, coming back here, for an anonymous visitor; None when signed in."""
    return None if request.user.is_authenticated else redirect_to_login(request.get_full_path())


def add_errors(form: Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or on the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
