"""Storyboards: the only way they are written, reviewed and published.

Access is checked by the callers (``coiin.access``: WRITE_STORYBOARD, REVIEW_STORYBOARD,
PUBLISH_STORYBOARD); these functions hold the workflow's rules and raise
``ValidationError`` with a message the person can act on when a step is not allowed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coiin.improvement.models import ChangeIdea
from coiin.measures.models import Measure, TeamMeasure
from coiin.measures.periods import Frequency, Period
from coiin.network.models import Team, User

from .models import Storyboard, StoryboardEvent

S = Storyboard.Status
# The parts of the story that must be written before faculty can review it.
STORY_FIELDS = ("problem", "aim", "changes", "results", "lessons")
CHARTABLE_TYPES = (Measure.Type.RATIO, Measure.Type.COUNT)


def chartable_measures(team: Team):
    """The team's measures a storyboard can chart (counts and ratios the team reports)."""
    return (Measure.objects.filter(team_measures__team=team, type__in=CHARTABLE_TYPES)
            .distinct().order_by("code"))


def _check(team: Team, fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    title = (fields.get("title") or "").strip()
    if not title:
        errors["title"] = ["Give the storyboard a title."]
    measure: Measure | None = fields.get("measure")
    if measure is None:
        errors["measure"] = ["Choose the measure whose chart the storyboard shows."]
    elif not TeamMeasure.objects.filter(team=team, measure=measure).exists():
        errors["measure"] = [f"{measure.code} is not one of {team}'s measures; choose a "
                             "measure the team reports."]
    elif measure.type not in CHARTABLE_TYPES:
        errors["measure"] = [f"{measure.code} is a {measure.get_type_display().lower()} "
                             "measure; a public chart needs a count or a ratio."]
    idea: ChangeIdea | None = fields.get("change_idea")
    if idea is not None and idea.learning_network_id != team.learning_network_id:
        errors["change_idea"] = [f"“{idea}” is in another network's change package."]
    start, end = fields.get("period_from"), fields.get("period_to")
    if measure is not None and not errors.get("measure"):
        freq = Frequency(measure.frequency)
        # Any day names its period: the chart starts and ends on whole periods.
        start = Period.containing(start, freq).start if start else None
        end = Period.containing(end, freq).start if end else None
    if start and end and start > end:
        errors["period_to"] = ["The chart must end on or after the period it starts."]
    if errors:
        raise ValidationError(errors)
    out = {k: (fields.get(k) or "").strip() for k in STORY_FIELDS}
    out.update(title=title, measure=measure, change_idea=idea, period_from=start,
               period_to=end)
    return out


def _event(sb: Storyboard, user: User | None, comment: str = "") -> None:
    StoryboardEvent.objects.create(storyboard=sb, status=sb.status, by=user, comment=comment)


@transaction.atomic
def save_storyboard(*, team: Team, user: User, storyboard: Storyboard | None = None,
                    **fields: Any) -> Storyboard:
    """Create a draft, or change one the team may still change.

    Changing an approved or unpublished storyboard returns it to draft: faculty approved
    other words. A storyboard under review or on the public site cannot be changed.
    """
    if storyboard is not None:
        storyboard = Storyboard.objects.select_for_update().get(pk=storyboard.pk)
        if storyboard.team_id != team.pk:
            raise ValidationError(_("This storyboard belongs to another team."))
        if storyboard.status == S.PUBLISHED:
            raise ValidationError(_("This storyboard is on the public site; backbone staff must "
                                    "unpublish it before it can be changed."))
        if storyboard.in_review:
            raise ValidationError(_("This storyboard is with faculty for review; it can be "
                                    "changed once they approve it or ask for changes."))
    clean = _check(team, fields)
    now = timezone.now()
    if storyboard is None:
        storyboard = Storyboard.objects.create(team=team, created_by=user, created_at=now,
                                               updated_at=now, **clean)
        _event(storyboard, user)
        return storyboard
    for k, v in clean.items():
        setattr(storyboard, k, v)
    storyboard.updated_at = now
    back_to_draft = storyboard.status in (S.APPROVED, S.UNPUBLISHED)
    if back_to_draft:
        storyboard.status = S.DRAFT
    storyboard.save()
    if back_to_draft:
        _event(storyboard, user, "Changed after approval: back to draft for a new review.")
    return storyboard


def _locked(sb: Storyboard) -> Storyboard:
    return Storyboard.objects.select_for_update().get(pk=sb.pk)


def _move(sb: Storyboard, status: str, user: User | None, comment: str = "") -> Storyboard:
    sb.status = status
    sb.updated_at = timezone.now()
    if status == S.PUBLISHED:
        sb.published_at = sb.updated_at
    sb.save(update_fields=["status", "updated_at", "published_at"])
    _event(sb, user, comment)
    return sb


def _label(name: str) -> str:
    field = Storyboard._meta.get_field(name)
    assert isinstance(field, models.Field)  # the story's parts are the model's own text fields
    return str(field.verbose_name)


@transaction.atomic
def submit_storyboard(*, storyboard: Storyboard, user: User) -> Storyboard:
    """Send a draft (or a storyboard with changes requested) to faculty for review."""
    sb = _locked(storyboard)
    if sb.status not in (S.DRAFT, S.CHANGES_REQUESTED):
        raise ValidationError(_("Only a draft or a storyboard with changes requested can be "
                                "submitted; this one is %(status)s.")
                              % {"status": sb.get_status_display().lower()})
    missing = [_label(f) for f in STORY_FIELDS if not getattr(sb, f).strip()]
    if missing:
        raise ValidationError(
            _("Write every part of the story before submitting it; missing: %(parts)s.")
            % {"parts": ", ".join(str(m) for m in missing)})
    return _move(sb, S.SUBMITTED if sb.status == S.DRAFT else S.RESUBMITTED, user)


@transaction.atomic
def request_changes(*, storyboard: Storyboard, user: User, comment: str) -> Storyboard:
    """Faculty send a storyboard under review back to the team, saying what to change."""
    sb = _locked(storyboard)
    if not comment.strip():
        raise ValidationError({"comment": ["Say what the team should change."]})
    if not sb.in_review:
        raise ValidationError(_("Only a storyboard under review can be sent back; this one is "
                                "%(status)s.") % {"status": sb.get_status_display().lower()})
    return _move(sb, S.CHANGES_REQUESTED, user, comment.strip())


@transaction.atomic
def approve_storyboard(*, storyboard: Storyboard, user: User, comment: str = "") -> Storyboard:
    """Faculty approve a storyboard under review; backbone staff may then publish it."""
    sb = _locked(storyboard)
    if not sb.in_review:
        raise ValidationError(_("Only a storyboard under review can be approved; this one is "
                                "%(status)s.") % {"status": sb.get_status_display().lower()})
    return _move(sb, S.APPROVED, user, comment.strip())


@transaction.atomic
def publish_storyboard(*, storyboard: Storyboard, user: User) -> Storyboard:
    """Put an approved storyboard on the public site."""
    sb = _locked(storyboard)
    if sb.status not in Storyboard.PUBLISHABLE:
        raise ValidationError(_("Only a storyboard approved by faculty can be published; this one "
                                "is %(status)s.") % {"status": sb.get_status_display().lower()})
    return _move(sb, S.PUBLISHED, user)


@transaction.atomic
def unpublish_storyboard(*, storyboard: Storyboard, user: User, comment: str = ""
                         ) -> Storyboard:
    """Take a storyboard off the public site (the team may then change it)."""
    sb = _locked(storyboard)
    if sb.status != S.PUBLISHED:
        raise ValidationError(_("Only a published storyboard can be unpublished; this one is "
                                "%(status)s.") % {"status": sb.get_status_display().lower()})
    return _move(sb, S.UNPUBLISHED, user, comment.strip())


def month(day: dt.date | None) -> str:
    """A date as the month input shows it (YYYY-MM), or empty."""
    return day.strftime("%Y-%m") if day else ""


def published():
    """Published storyboards, newest first, with what their list items show."""
    return (Storyboard.objects.filter(status=Storyboard.Status.PUBLISHED)
            .select_related("team__jurisdiction", "team__learning_network", "measure",
                            "change_idea")
            .order_by("-published_at", "-pk"))
