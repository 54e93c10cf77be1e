"""The form faculty and backbone staff schedule and change events with.

Times are typed as wall-clock times in a chosen zone (the organiser's by default) and
turned into aware moments here; the rules that do not depend on the form (who may,
titles unique per network and day, https links, the length limit) are the services'.
"""

from __future__ import annotations

import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coiin.network.models import LearningNetwork

from . import times
from .models import EventDetail


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class EventForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    format = forms.ChoiceField(label=_("Kind"), choices=EventDetail.Format.choices)
    network = forms.ModelChoiceField(
        label=_("Learning network"), queryset=LearningNetwork.objects.none(),
        empty_label=None, help_text=_("The network hosting it; its faculty record attendance."))
    audience = forms.ChoiceField(
        label=_("Who is invited"), choices=[
            (EventDetail.Audience.NETWORK,
             _("The teams and faculty of the learning network above")),
            (EventDetail.Audience.EVERYONE, _("Everyone in the CoIIN (a network-wide event)"))],
        initial=EventDetail.Audience.NETWORK, widget=forms.RadioSelect)
    starts_on = forms.DateField(label=_("Date"), widget=DateInput())
    starts_time = forms.TimeField(label=_("Starts at"), widget=TimeInput(format="%H:%M"))
    ends_time = forms.TimeField(label=_("Ends at"), widget=TimeInput(format="%H:%M"))
    ends_on = forms.DateField(label=_("Ends on (if another day)"), required=False,
                              widget=DateInput(),
                              help_text=_("For events over several days; otherwise leave empty."))
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=times.zone_choices,
                                  help_text=_("The times above are in this zone; everyone "
                                  "sees them in their own."))
    location = forms.CharField(label=_("Place"), max_length=300, required=False,
                               help_text=_("A venue and room, for events in person."))
    join_url = forms.CharField(label=_("Join link"), max_length=500, required=False,
                               widget=forms.URLInput(attrs={"placeholder": "https://"}),
                               help_text=_("The video-call address, starting with https://."))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False,
                                  help_text=_("Agenda, pre-work, who it is for."),
                                  label=_("Description"))

    def __init__(self, *args, networks: list[LearningNetwork], network_wide: bool,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = LearningNetwork.objects.filter(
            pk__in=[n.pk for n in networks]).order_by("position", "pk")
        if not network_wide:
            # Faculty schedule for their own networks only.
            del self.fields["audience"]

    @classmethod
    def initial_for(cls, detail: EventDetail) -> dict[str, object]:
        """The form's values for an existing event, in the zone it was scheduled in."""
        zone = zoneinfo.ZoneInfo(detail.time_zone)
        a, b = detail.starts_at.astimezone(zone), detail.ends_at.astimezone(zone)
        return {"title": detail.event.title, "format": detail.format,
                "network": detail.event.learning_network_id, "audience": detail.audience,
                "starts_on": a.date(), "starts_time": a.time().replace(tzinfo=None),
                "ends_time": b.time().replace(tzinfo=None),
                "ends_on": b.date() if b.date() != a.date() else None,
                "time_zone": detail.time_zone, "location": detail.location,
                "join_url": detail.join_url, "description": detail.event.description}

    def clean_join_url(self) -> str:
        url = self.cleaned_data["join_url"].strip()
        if not url:
            return url
        if not url.lower().startswith("https://"):
            raise ValidationError(gettext("The join link must start with https:// (a secure "
                                          "address)."))
        try:
            URLValidator(schemes=["https"])(url)
        except ValidationError as exc:
            raise ValidationError(gettext("This is not a web address we can link to.")) from exc
        return url

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if not (data.get("location") or "").strip() and not data.get("join_url") and (
                "join_url" not in self.errors):
            self.add_error("location", _("Say where it happens: a place, a join link, or both."))
        needed = ("starts_on", "starts_time", "ends_time", "time_zone")
        if any(data.get(k) is None for k in needed):
            return data
        zone = zoneinfo.ZoneInfo(data["time_zone"])
        ends_on = data.get("ends_on") or data["starts_on"]
        try:
            data["starts_at"] = times.from_local(data["starts_on"], data["starts_time"],
                                                      zone)
        except ValueError as exc:
            self.add_error("starts_time", str(exc))
        try:
            data["ends_at"] = times.from_local(ends_on, data["ends_time"], zone)
        except ValueError as exc:
            self.add_error("ends_time", str(exc))
        if "starts_at" in data and "ends_at" in data and data["ends_at"] <= data["starts_at"]:
            field = "ends_on" if data.get("ends_on") else "ends_time"
            self.add_error(field, _("The event ends before it starts: the end must be later "
                                    "than the start."))
        return data

    def service_arguments(self) -> dict[str, object]:
        """Keyword arguments for ``services.schedule_event`` / ``services.update_event``."""
        d = self.cleaned_data
        return {"network": d["network"], "format": d["format"], "title": d["title"],
                "starts_at": d["starts_at"], "ends_at": d["ends_at"],
                "time_zone": d["time_zone"], "description": d.get("description", ""),
                "location": d.get("location", ""), "join_url": d.get("join_url", ""),
                "audience": d.get("audience") or EventDetail.Audience.NETWORK}


# Service error keys → form fields.
FIELD_FOR = {"ends_at": "ends_time", "starts_at": "starts_time"}


def add_service_errors(form: EventForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            field = FIELD_FOR.get(key, key)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
