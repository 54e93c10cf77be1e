"""How the community's pages answer a submitted form, once the policy has let it through:
the form does its work and the page goes on to what it made, or the same page comes back
(400) with each error next to the field it is about, nothing stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect


def form_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field where it names one the
    form has, else at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def submit(form: forms.Form, *, save: Callable[[dict[str, Any]], Any],
           page: Callable[[forms.Form], HttpResponse]) -> HttpResponse:
    """Validate ``form``, then ``save(cleaned_data)`` and redirect to what it returns.
    A bad form, or a ValidationError from ``save``, gives ``page(form)`` again with the
    errors shown and status 400."""
    if form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            return redirect(saved)
    response = page(form)
    response.status_code = 400
    return response
