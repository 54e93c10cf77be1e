"""What a storyboard's pages show: its story as sanitised HTML, and its chart and table
passed through the public site's disclosure control."""

from __future__ import annotations

from typing import Any

from coiin.markdown import render as markdown
from coiin.reports.public import publication

from . import services
from .forms import StoryboardForm
from .models import Storyboard
from .release import chart_spec, storyboard_release


def story_sections(sb: Storyboard) -> list[dict[str, str]]:
    """The story's parts as sanitised HTML, in reading order (empty parts left out)."""
    out = []
    for name in services.STORY_FIELDS:
        text = getattr(sb, name)
        if text.strip():
            # The form's labels: every part has a translated one ("Problem", "Aim").
            out.append({"name": name, "label": str(StoryboardForm.base_fields[name].label),
                        "html": markdown(text).html})
    return out


def chart_context(sb: Storyboard) -> dict[str, Any]:
    """The storyboard's disclosure-controlled chart and table, as the public sees them."""
    rules = {"threshold": publication.threshold(), "unreliable": publication.unreliable_below()}
    try:
        sr = storyboard_release(sb.team, sb.measure, sb.period_from, sb.period_to)
    except publication.PublishError as exc:  # e.g. a value that is not a whole count
        return {"release": None, "rows": [], "spec": None, "specs": {},
                "chart_problem": f"This chart cannot be published: {exc}.", **rules}
    spec = chart_spec(sr, f"{sb.measure.name}: {sb.team.jurisdiction.name}")
    return {"release": sr, "rows": sr.rows(), "spec": spec,
            "specs": {f"story-{sb.pk}": spec} if spec else {}, **rules}
