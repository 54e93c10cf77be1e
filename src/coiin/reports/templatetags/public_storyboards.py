"""``{% published_storyboards as storyboards %}``: the public index's storyboards."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def published_storyboards(limit: int = 6) -> list:
    from coiin.reports.public_storyboards import published

    return list(published()[:limit])
