"""Who may see and change what: the one place that decides.

Every view, API endpoint and query that depends on who is asking goes through here:
``can(user, Action.X, obj)`` answers, ``require`` raises, and the ``visible_*`` helpers
return what a user may see as a queryset. The rules are stated per subject, each in its
module's docstring: ``network`` (the network's shape, people, administration), ``data``
(reported data), ``improvement`` (the improvement method), ``storyboards``, ``community``
(spaces, posts, the library, technical assistance), ``events``, ``mentoring``,
``reports`` (reports made in the background), ``vitals`` (figures a vital-records
office enters). ``roles`` answers who
someone is; ``core`` gathers the rules.

Someone who may not see a thing gets 404; someone who may see it but not change it
gets 403 (see ``require``).

This package imports only the ``models`` modules of apps; no models module imports it.
"""

from .actions import Action, AnyUser, Rule
from .community import (
    can_moderate_space,
    can_see_post,
    can_see_space,
    can_see_ta_request,
    post_spaces,
    ta_teams,
    visible_posts,
    visible_resources,
    visible_space_ids,
    visible_spaces,
    visible_spaces_subquery,
    visible_ta_requests,
)
from .core import can, require, sees
from .data import (
    enterable_units,
    reporting_status_teams,
    submissions_to_lock,
    submissions_to_review,
    teams_with_visible_data,
    visible_site_values,
    visible_submissions,
    visible_units,
)
from .events import can_see_event, event_networks, manageable_networks, visible_events
from .improvement import teams_with_visible_work
from .mentoring import can_see_pairing, visible_pairings
from .network import network_members, visible_people
from .reports import can_see_report_job, may_see_report
from .roles import (
    coaches,
    community_ids,
    is_backbone,
    is_close_to,
    is_faculty,
    is_faculty_of,
    is_funder,
    is_in_network,
    is_network_member,
    is_on_a_team,
    is_on_team,
    own_teams,
    staff_site,
    team_role,
)

__all__ = [
    "Action", "AnyUser", "Rule", "can", "can_see_report_job", "may_see_report",
    "network_members", "own_teams", "can_see_pairing", "visible_pairings",
    "can_see_event", "event_networks",
    "manageable_networks", "visible_events", "can_moderate_space", "can_see_post",
    "can_see_space", "can_see_ta_request", "coaches", "community_ids", "is_backbone",
    "is_close_to", "is_faculty", "is_faculty_of", "is_funder", "is_in_network",
    "is_network_member", "is_on_a_team", "is_on_team", "post_spaces", "reporting_status_teams",
    "require", "sees", "ta_teams", "team_role", "teams_with_visible_data",
    "teams_with_visible_work", "visible_people", "visible_posts", "visible_resources",
    "visible_space_ids", "visible_spaces", "visible_spaces_subquery", "visible_submissions",
    "visible_ta_requests", "enterable_units", "visible_units", "staff_site",
    "visible_site_values", "submissions_to_review", "submissions_to_lock",
]
