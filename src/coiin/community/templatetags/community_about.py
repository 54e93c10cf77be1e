"""What the community holds about an object, for other apps' pages: on a change idea's
page, its resources from the library and the posts about it.

Use: ``{% load community_about %}{% community_about idea %}``.
"""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("community/_about_object.html", takes_context=True)
def community_about(context, obj) -> dict[str, object]:
    from coiin.community.resources.services import about

    user = context["request"].user
    return {"about": about(user, obj), "obj": obj, "request": context["request"]}
