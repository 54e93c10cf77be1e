"""Peer mentoring: a team asks a bright-spot team to mentor it, and their meetings."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from coiin.improvement.models import ChangeIdea
from coiin.measures.models import Measure
from coiin.network.models import Team
from coiin.network.written import language_field

USER = settings.AUTH_USER_MODEL


def bright_spot_sentence(team: Team, measure: Measure, *, held: int, since: str,
                         beyond: float | None = None) -> str:
    """Why a team is a bright spot (suggested as a mentor), in the active language:
    ``held`` periods of sustained improvement since ``since`` (an ISO date), ``beyond``
    the network's other teams' median change when there were enough to compare with."""
    more = ""
    if beyond is not None:
        unit = gettext("points") if measure.is_proportion else (measure.unit or "")
        more = (gettext(", %(beyond)s %(unit)s more than the network's other teams improved "
                        "over the same months") % {"beyond": f"{beyond:.1f}", "unit": unit}
                ).replace("  ", " ")
    return ngettext(
        "%(team)s has held a sustained improvement in %(measure)s for the last %(held)s "
        "period (since %(since)s)%(more)s.",
        "%(team)s has held a sustained improvement in %(measure)s for the last %(held)s "
        "periods (since %(since)s)%(more)s.", held) % {
        "team": team, "measure": measure.name, "held": held,
        "since": date_format(dt.date.fromisoformat(since), "YEAR_MONTH_FORMAT"),
        "more": more}


class MentorPairing(models.Model):
    """A team asks a bright-spot team on the same measure to mentor it."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CLOSED = "closed", _("Closed")

    mentor = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="mentoring")
    mentee = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="mentored_by")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="+")
    change_ideas = models.ManyToManyField(ChangeIdea, blank=True, related_name="pairings")
    status = models.CharField(max_length=10, choices=Status.choices,
                              default=Status.REQUESTED)
    message = models.TextField(blank=True)
    language = language_field()
    evidence = models.TextField(blank=True, help_text=_("The bright spot's summary when asked."))
    evidence_facts = models.JSONField(default=dict, blank=True, help_text=_(
        "The figures of that summary (periods held, since when, beyond the other teams), so "
        "that each reader reads it in their own language."))
    learned = models.TextField(blank=True, help_text=_("What the pairing taught both teams."))
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    answered_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "mentor pairing")
        verbose_name_plural = pgettext_lazy("model", "mentor pairings")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")),
                                   name="pairing_not_with_itself"),
            models.UniqueConstraint(fields=["mentor", "mentee", "measure"],
                                    condition=Q(status__in=["requested", "accepted"]),
                                    name="one_open_pairing_per_measure"),
        ]

    def __str__(self) -> str:
        return gettext("%(mentor)s mentors %(mentee)s on %(measure)s") % {
            "mentor": self.mentor, "mentee": self.mentee, "measure": self.measure}

    def get_absolute_url(self) -> str:
        return reverse("community:pairing", args=[self.pk])

    def evidence_sentence(self) -> str:
        """Why this pairing was asked for, in the reader's language; a pairing asked before
        the figures were kept shows the sentence stored then."""
        facts = self.evidence_facts
        if not facts or not {"held", "since"} <= set(facts):
            return self.evidence
        return bright_spot_sentence(self.mentor, self.measure, held=facts["held"],
                                    since=facts["since"], beyond=facts.get("beyond"))


class MentorMeeting(models.Model):
    pairing = models.ForeignKey(MentorPairing, on_delete=models.CASCADE,
                                related_name="meetings")
    on = models.DateField()
    notes = models.TextField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("model", "mentor meeting")
        verbose_name_plural = pgettext_lazy("model", "mentor meetings")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return gettext("Meeting %(on)s of pairing %(pairing)s") % {"on": self.on,
                                                                "pairing": self.pairing_id}
