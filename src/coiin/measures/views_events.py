"""A team's event log of a measure that records events (e.g. sleep-related infant
deaths): the events so far, one more entered, a CSV of them imported all or nothing."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from coiin import access
from coiin.access import Action
from coiin.network.services import BulkLoadError
from coiin.web import add_errors, sign_in_required, team_or_404

from .models import Measure, RareEvent
from .services import events as event_services
from .services.reporting import team_measures

MAX_UPLOAD = 1_000_000  # bytes: an event log is short


class EventForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Date of the event"),
                         widget=forms.DateInput(attrs={"type": "date"}))
    births_since_previous = forms.IntegerField(
        label=gettext_lazy("Live births since the previous event"), required=False, min_value=0,
        help_text=gettext_lazy("If known: the g chart counts births between events."))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


class EventImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV of events"),
                           help_text=gettext_lazy(
                               "Columns: date (YYYY-MM-DD), births_since_previous, note. Every "
                               "row is checked; if one is wrong, nothing is stored."))


@require_http_methods(["GET", "POST"])
@sign_in_required
def event_log(request: HttpRequest, slug: str, postal: str, code: str) -> HttpResponse:
    team = team_or_404(request, slug, postal, Action.VIEW_DATA)
    measure = get_object_or_404(Measure, code=code, records_events=True)
    if measure not in team_measures(team):
        raise Http404
    may_enter = access.can(request.user, Action.ENTER_DATA, team)
    add, upload = EventForm(prefix="event"), EventImportForm(prefix="import")
    import_errors: list = []
    status = 200
    if request.method == "POST":
        access.require(request.user, Action.ENTER_DATA, team)
        action = request.POST.get("form")
        if action == "event":
            add = EventForm(request.POST, prefix="event")
            if add.is_valid():
                data = add.cleaned_data
                try:
                    event_services.record_event(
                        team=team, measure=measure, on=data["on"], user=request.user,
                        births_since_previous=data["births_since_previous"],
                        note=data["note"])
                except ValidationError as exc:
                    add_errors(add, _on_fields(exc))
                else:
                    messages.success(request, _("Event of %(date)s logged.")
                                     % {"date": date_format(data["on"], "d M Y")})
                    return redirect(request.path)
        elif action == "import":
            upload = EventImportForm(request.POST, request.FILES, prefix="import")
            if upload.is_valid():
                raw = upload.cleaned_data["file"].read(MAX_UPLOAD + 1)
                try:
                    if len(raw) > MAX_UPLOAD:
                        raise BulkLoadError([])
                    text = raw.decode("utf-8")
                    done = event_services.import_events(team=team, measure=measure,
                                                        text=text, user=request.user)
                except UnicodeDecodeError:
                    upload.add_error("file", _("is not UTF-8 text; save the CSV as UTF-8."))
                except BulkLoadError as exc:
                    import_errors = exc.errors
                    if not exc.errors:
                        upload.add_error("file", _("is larger than 1 MB."))
                else:
                    messages.success(request, ngettext(
                        "%(n)s event imported.", "%(n)s events imported.", len(done))
                        % {"n": len(done)})
                    return redirect(request.path)
        elif action == "remove":
            event = get_object_or_404(RareEvent, pk=request.POST.get("id"), team=team,
                                      measure=measure)
            event_services.remove_event(event=event, user=request.user)
            messages.success(request, _("Event removed."))
            return redirect(request.path)
        else:
            raise Http404
        status = 400
    events = list(RareEvent.objects.filter(team=team, measure=measure).order_by("-on", "-pk"))
    return render(request, "measures/event_log.html", {
        "team": team, "measure": measure, "events": events, "may_enter": may_enter,
        "add": add, "upload": upload, "import_errors": import_errors,
        "today": dt.date.today().isoformat(),  # noqa: DTZ011 - a form's max, no time zone
    }, status=status)


def _on_fields(exc: ValidationError) -> ValidationError:
    """The service names ``date``; the form's field is ``on``."""
    if hasattr(exc, "error_dict"):
        return ValidationError({("on" if k == "date" else k): v
                                for k, v in exc.message_dict.items()})
    return exc
