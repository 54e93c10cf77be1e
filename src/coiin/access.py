"""Who may see and change what: the one place that decides.

Every view, API endpoint and query that depends on who is asking goes through here.
The rules:

* The public sees the network's shape: the overview, jurisdictions, learning networks
  and teams (with their reporting units), never people.
* Signed-in members of the network (anyone on a team, faculty, backbone staff, the
  funder) also see rosters and the people directory.
* Team leads invite people to their own team; backbone staff manage everything and use
  the admin. The funder and faculty read; they change nothing here.
* Someone who may not see a thing gets 404; someone who may see it but not change it
  gets 403 (see ``require``).
* The community (spaces, posts, the library, technical assistance, events) has its own
  section at the end of this module.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from coiin.network.models import Team, TeamMembership, User

AnyUser = User | AnonymousUser


class Action(StrEnum):
    VIEW_OVERVIEW = "view_overview"
    VIEW_JURISDICTION = "view_jurisdiction"
    VIEW_NETWORK = "view_network"
    VIEW_TEAM = "view_team"
    VIEW_ROSTER = "view_roster"
    VIEW_DIRECTORY = "view_directory"
    INVITE_MEMBER = "invite_member"
    MANAGE_NETWORK = "manage_network"  # join networks, add reporting units
    USE_ADMIN = "use_admin"
    PUBLISH = "publish"  # choose which measures and levels the public site shows
    # Reported data; the object is the team.
    VIEW_DATA = "view_data"  # submitted data (drafts: ENTER_DATA)
    ENTER_DATA = "enter_data"
    SUBMIT_DATA = "submit_data"
    CHOOSE_MEASURES = "choose_measures"
    REVIEW_DATA = "review_data"
    REOPEN_DATA = "reopen_data"
    LOCK_DATA = "lock_data"
    GRANT_EXCEPTION = "grant_exception"
    ADD_MEASURE = "add_measure"  # custom measures in a network; the object is the network
    CHANGE_CHART = "change_chart"  # baseline, phases, exclusions, rule set, notes
    # Every team's submitted data across a learning network; the object is the network.
    VIEW_NETWORK_DATA = "view_network_data"
    # The network's pooled (aggregate) data; the object is the network.
    VIEW_NETWORK_POOLED = "view_network_pooled"
    # Every jurisdiction's latest values and signals side by side.
    VIEW_NATIONAL = "view_national"
    # The improvement method. A team's aims, diagram, adopted ideas, PDSA cycles, scores:
    VIEW_IMPROVEMENT = "view_improvement"  # the object is the team
    EDIT_IMPROVEMENT = "edit_improvement"
    COMMENT_ON_CYCLE = "comment_on_cycle"
    # A network's driver diagram, calendar and what works; its aims and change package:
    VIEW_NETWORK_IMPROVEMENT = "view_network_improvement"  # the object is the network
    EDIT_NETWORK_IMPROVEMENT = "edit_network_improvement"
    VIEW_CHANGE_PACKAGE = "view_change_package"  # published: everyone
    # Upload a data file (each row is still checked against ENTER_DATA for its team).
    IMPORT_DATA = "import_data"
    # Which teams have submitted a period (no values): backbone, funder, faculty.
    VIEW_REPORTING_STATUS = "view_reporting_status"
    # Storyboards (lessons learned); the object is the team. Written by the team, reviewed
    # by its network's faculty, published to the public site by backbone staff.
    WRITE_STORYBOARD = "write_storyboard"
    REVIEW_STORYBOARD = "review_storyboard"
    PUBLISH_STORYBOARD = "publish_storyboard"
    # Community (see the Community section below). A space is the object of:
    VIEW_SPACE = "view_space"
    POST_IN_SPACE = "post_in_space"
    MODERATE_SPACE = "moderate_space"
    # A post is the object of these (hidden posts: its home space's moderators only):
    VIEW_POST = "view_post"
    COMMENT_ON_POST = "comment_on_post"  # locked threads: moderators only
    MODERATE_POST = "moderate_post"  # moderated in its home space
    MARK_ANSWER = "mark_answer"  # questions: the author and the moderators
    VIEW_ATTACHMENT = "view_attachment"  # the object is the attachment; follows its post
    # The library; VIEW_RESOURCE and ADD_RESOURCE take no object, EDIT_RESOURCE the resource.
    VIEW_RESOURCE = "view_resource"
    ADD_RESOURCE = "add_resource"
    EDIT_RESOURCE = "edit_resource"  # add a version
    # Technical assistance: the request is the object, except for ASK_TA (the team asking).
    VIEW_TA_REQUEST = "view_ta_request"
    ASK_TA = "ask_ta"
    HANDLE_TA = "handle_ta"  # the helping side: assign, take over
    RATE_TA = "rate_ta"  # the requesting team's side
    # Schedule a network's events, record attendance, attach materials; the object is the
    # host network.
    MANAGE_EVENT = "manage_event"


def is_backbone(user: AnyUser) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.network_role == User.NetworkRole.BACKBONE)
    )


def is_funder(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.network_role == User.NetworkRole.FUNDER)


def is_network_member(user: AnyUser) -> bool:
    """Anyone with a place in the network: a team, a faculty role or a network-wide role."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.network_role or user.is_superuser:
        return True
    cached = getattr(user, "_coiin_is_member", None)
    if cached is None:
        cached = user.memberships.exists() or user.faculty_roles.exists()
        user._coiin_is_member = cached  # type: ignore[attr-defined]  # a cache, not a field
    return cached


def team_role(user: AnyUser, team: Team) -> str | None:
    """The person's role on this team, or None."""
    if not user.is_authenticated:
        return None
    return (
        TeamMembership.objects.filter(team=team, user=user).values_list("role", flat=True).first()
    )


def is_faculty_of(user: AnyUser, team: Team) -> bool:
    return bool(
        user.is_authenticated
        and user.faculty_roles.filter(learning_network_id=team.learning_network_id).exists()
    )


def is_close_to(user: AnyUser, team: Team) -> bool:
    """On the team, its network's faculty, backbone staff or the funder."""
    return (
        is_backbone(user) or is_funder(user) or team_role(user, team) is not None
        or is_faculty_of(user, team)
    )


_PUBLIC = {
    Action.VIEW_OVERVIEW, Action.VIEW_JURISDICTION, Action.VIEW_NETWORK, Action.VIEW_TEAM,
    Action.VIEW_CHANGE_PACKAGE,
}
_MEMBERS = {Action.VIEW_ROSTER, Action.VIEW_DIRECTORY}
_BACKBONE = {Action.MANAGE_NETWORK, Action.USE_ADMIN, Action.PUBLISH}


def can(user: AnyUser, action: Action, obj: Any = None) -> bool:
    """May this user do this (to this object)?"""
    if action in _PUBLIC:
        return True
    if action in _MEMBERS:
        return is_network_member(user)
    if action in _BACKBONE:
        return is_backbone(user)
    if action is Action.VIEW_NETWORK_IMPROVEMENT:
        return is_network_member(user)
    if action is Action.EDIT_NETWORK_IMPROVEMENT:
        return is_backbone(user) or _coaches(user, obj)
    if action is Action.IMPORT_DATA:
        return is_backbone(user) or bool(user.is_authenticated and user.memberships.exists())
    if action is Action.VIEW_REPORTING_STATUS:
        return reporting_status_teams(user) is not None
    if action is Action.VIEW_NATIONAL:
        return is_backbone(user) or is_funder(user) or bool(
            user.is_authenticated and user.faculty_roles.exists())
    if action is Action.VIEW_NETWORK_DATA:
        return is_backbone(user) or is_funder(user) or _coaches(user, obj)
    if action is Action.VIEW_NETWORK_POOLED:
        return is_backbone(user) or is_funder(user) or _coaches(user, obj) or bool(
            user.is_authenticated
            and user.memberships.filter(team__learning_network=obj).exists())
    if action is Action.ADD_MEASURE:
        return is_backbone(user) or _coaches(user, obj)
    if action in _TEAM_ACTIONS:
        if not isinstance(obj, Team):
            raise TypeError(f"{action} needs the team")
        return is_backbone(user) or _TEAM_ACTIONS[action](user, obj)
    if action in _COMMUNITY_ACTIONS:
        return _community_can(user, action, obj)
    raise ValueError(f"unknown action {action!r}")


def _coaches(user: AnyUser, network: Any) -> bool:
    return bool(user.is_authenticated
                and user.faculty_roles.filter(learning_network=network).exists())


_LEADS = {TeamMembership.Role.LEAD, TeamMembership.Role.DATA_LEAD}
_TEAM_ACTIONS = {
    Action.INVITE_MEMBER: lambda u, t: team_role(u, t) == TeamMembership.Role.LEAD,
    Action.VIEW_DATA: lambda u, t: is_funder(u) or team_role(u, t) is not None
    or is_faculty_of(u, t),
    Action.ENTER_DATA: lambda u, t: team_role(u, t) is not None,
    Action.SUBMIT_DATA: lambda u, t: team_role(u, t) in _LEADS,
    Action.CHOOSE_MEASURES: lambda u, t: team_role(u, t) in _LEADS or is_faculty_of(u, t),
    Action.REVIEW_DATA: lambda u, t: is_faculty_of(u, t),
    Action.CHANGE_CHART: lambda u, t: team_role(u, t) in _LEADS or is_faculty_of(u, t),
    Action.VIEW_IMPROVEMENT: lambda u, t: is_close_to(u, t),
    Action.EDIT_IMPROVEMENT: lambda u, t: team_role(u, t) is not None or is_faculty_of(u, t),
    Action.COMMENT_ON_CYCLE: lambda u, t: team_role(u, t) is not None or is_faculty_of(u, t),
    Action.REOPEN_DATA: lambda u, t: is_faculty_of(u, t),
    Action.LOCK_DATA: lambda u, t: False,
    Action.GRANT_EXCEPTION: lambda u, t: False,
    Action.WRITE_STORYBOARD: lambda u, t: team_role(u, t) is not None,
    Action.REVIEW_STORYBOARD: lambda u, t: is_faculty_of(u, t),
    Action.PUBLISH_STORYBOARD: lambda u, t: False,  # backbone staff only
}


def require(user: AnyUser, action: Action, obj: Any = None) -> None:
    """Raise unless allowed: 403 for someone close to the object, 404 for an outsider."""
    if can(user, action, obj):
        return
    if isinstance(obj, Team):
        close = is_close_to(user, obj)
    elif action in _COMMUNITY_ACTIONS and obj is not None:
        close = _community_sees(user, obj)
    else:
        close = is_network_member(user)
    if close:
        raise PermissionDenied(_REFUSALS.get(action, "You may see this, but not change it."))
    raise Http404


def visible_people(user: AnyUser, people: QuerySet[User] | None = None) -> QuerySet[User]:
    """The people this user may see in the directory: everyone active, for members only."""
    people = User.objects.all() if people is None else people
    if not is_network_member(user):
        return people.none()
    return people.filter(is_active=True)



def visible_submissions(user: AnyUser, submissions: QuerySet | None = None) -> QuerySet:
    """Team-periods this user may see: their own teams' (drafts too); submitted data of the
    teams they coach (faculty) or fund; everything for backbone staff."""
    from django.db.models import Q

    from coiin.measures.models import Submission

    qs = Submission.objects.all() if submissions is None else submissions
    if is_backbone(user):
        return qs
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    shown = [s.value for s in Submission.SHOWN_STATUSES]
    own = Q(team__memberships__user=user)
    if is_funder(user):
        return qs.filter(own | Q(status__in=shown)).distinct()
    coached = Q(status__in=shown, team__learning_network__faculty__user=user)
    return qs.filter(own | coached).distinct()


def teams_with_visible_data(user: AnyUser) -> QuerySet[Team]:
    """Teams whose submitted data this user may see (VIEW_DATA), as one query."""
    from django.db.models import Q

    if is_backbone(user) or is_funder(user):
        return Team.objects.all()
    if not (user.is_authenticated and user.is_active):
        return Team.objects.none()
    return Team.objects.filter(
        Q(memberships__user=user) | Q(learning_network__faculty__user=user)).distinct()


def reporting_status_teams(user: AnyUser) -> QuerySet[Team] | None:
    """Teams whose reporting status this user may see: all for backbone staff and the
    funder, their networks' teams for faculty; None for everybody else."""
    if is_backbone(user) or is_funder(user):
        return Team.objects.all()
    if user.is_authenticated and user.is_active and user.faculty_roles.exists():
        return Team.objects.filter(learning_network__faculty__user=user)
    return None


def teams_with_visible_work(user: AnyUser, network: Any = None) -> QuerySet[Team]:
    """Teams whose improvement work this user may see (VIEW_IMPROVEMENT), as one query."""
    from django.db.models import Q

    teams = Team.objects.all() if network is None else network.teams.all()
    if is_backbone(user) or is_funder(user):
        return teams
    if not (user.is_authenticated and user.is_active):
        return teams.none()
    return teams.filter(Q(memberships__user=user)
                        | Q(learning_network__faculty__user=user)).distinct()


# Community ----------------------------------------------------------------------------
#
# * The network-wide space: every signed-in member of the network.
# * A learning network's space: the members of its teams, its faculty, backbone staff and
#   the funder (who reads only).
# * A team's space: the team's members, its network's faculty and backbone staff.
# * Anyone who may see a space writes in it, except the funder, and except in locked
#   threads (moderators only).
# * Faculty moderate their network's space and its teams' spaces (not the network-wide
#   one); backbone staff moderate all. A post is moderated in its home space.
# * Attachments and search results follow their post. A hidden post is seen by its home
#   space's moderators only. A question's answer is marked by its author or a moderator.
# * The library: every member reads it; everyone but the funder adds; a new version is
#   added by whoever added the resource, faculty of its network and backbone staff.
# * TA requests: seen by the team's members, the network's faculty and backbone staff;
#   asked by the team's members, handled by the faculty and backbone staff, rated by the
#   team.
# * Events are managed by the host network's faculty and backbone staff.
# * The public sees nothing of the community. For ``require``, someone who may see the
#   space, post or request gets 403; anyone else 404.

_COMMUNITY_OBJECTS = {
    Action.VIEW_SPACE: "Space", Action.POST_IN_SPACE: "Space", Action.MODERATE_SPACE: "Space",
    Action.VIEW_POST: "Post", Action.COMMENT_ON_POST: "Post", Action.MODERATE_POST: "Post",
    Action.MARK_ANSWER: "Post", Action.VIEW_ATTACHMENT: "Attachment",
    Action.VIEW_RESOURCE: None, Action.ADD_RESOURCE: None, Action.EDIT_RESOURCE: "Resource",
    Action.VIEW_TA_REQUEST: "TARequest", Action.ASK_TA: "Team",
    Action.HANDLE_TA: "TARequest", Action.RATE_TA: "TARequest",
    Action.MANAGE_EVENT: "LearningNetwork",
}
_COMMUNITY_ACTIONS = set(_COMMUNITY_OBJECTS)
_REFUSALS = {
    Action.POST_IN_SPACE: "You may read this space, but not post in it.",
    Action.COMMENT_ON_POST: "This thread is locked, or you may only read it.",
    Action.MODERATE_SPACE: "Only the space's moderators may do this.",
    Action.MODERATE_POST: "Only the space's moderators may do this.",
    Action.MARK_ANSWER: "Only the question's author or faculty may mark the answer.",
    Action.ADD_RESOURCE: "You may read the library, but not add to it.",
    Action.EDIT_RESOURCE: "Only whoever added it, the network's faculty and backbone staff "
                          "may add a version.",
    Action.ASK_TA: "Only the team's members may ask for help for it.",
    Action.HANDLE_TA: "Only faculty and backbone staff may do this.",
    Action.RATE_TA: "Only the requesting team may do this.",
    Action.MANAGE_EVENT: "Only the network's faculty and backbone staff may do this.",
}


def _community_can(user: AnyUser, action: Action, obj: Any) -> bool:
    from django.apps import apps

    expected = _COMMUNITY_OBJECTS[action]
    if expected is not None:
        app = "community" if expected not in ("Team", "LearningNetwork") else "network"
        if not isinstance(obj, apps.get_model(app, expected)):
            raise TypeError(f"{action} needs a {expected}")
    match action:
        case Action.VIEW_SPACE:
            return can_see_space(user, obj)
        case Action.POST_IN_SPACE:
            return can_see_space(user, obj) and not is_funder(user)
        case Action.MODERATE_SPACE:
            return can_moderate_space(user, obj)
        case Action.VIEW_POST:
            return can_see_post(user, obj)
        case Action.COMMENT_ON_POST:
            if is_funder(user) or not can_see_post(user, obj):
                return False
            return not obj.locked or can_moderate_space(user, obj.space)
        case Action.MODERATE_POST:
            return can_moderate_space(user, obj.space)
        case Action.MARK_ANSWER:
            return (obj.kind == "question" and can_see_post(user, obj)
                    and (obj.author_id == user.pk or can_moderate_space(user, obj.space)))
        case Action.VIEW_ATTACHMENT:
            return can_see_post(user, obj.post)
        case Action.VIEW_RESOURCE:
            return is_network_member(user)
        case Action.ADD_RESOURCE:
            return is_network_member(user) and not is_funder(user)
        case Action.EDIT_RESOURCE:
            if is_backbone(user) or (user.is_authenticated and obj.created_by_id == user.pk):
                return True
            return bool(obj.network_id and obj.network_id in community_ids(user)[2])
        case Action.VIEW_TA_REQUEST:
            if is_backbone(user):
                return True
            teams, _, coached = community_ids(user)
            return obj.team_id in teams or obj.team.learning_network_id in coached
        case Action.ASK_TA:
            return obj.pk in community_ids(user)[0]
        case Action.HANDLE_TA:
            return is_backbone(user) or obj.team.learning_network_id in community_ids(user)[2]
        case Action.RATE_TA:
            return obj.team_id in community_ids(user)[0]
        case Action.MANAGE_EVENT:
            return is_backbone(user) or _coaches(user, obj)
    raise ValueError(f"unknown action {action!r}")  # pragma: no cover


def _community_sees(user: AnyUser, obj: Any) -> bool:
    """For ``require``: may the user see this community object at all?"""
    name = type(obj).__name__
    if name == "Space":
        return can_see_space(user, obj)
    if name == "Post":
        return can_see_post(user, obj)
    if name == "Attachment":
        return can_see_post(user, obj.post)
    if name == "TARequest":
        return can(user, Action.VIEW_TA_REQUEST, obj)
    if name == "Team":
        return is_close_to(user, obj)
    return is_network_member(user)


def community_ids(user: AnyUser) -> tuple[set[int], set[int], set[int]]:
    """(the user's teams, those teams' networks, the networks they are faculty of), as ids;
    looked up once per user object. Empty for anonymous visitors."""
    if not user.is_authenticated:
        return set(), set(), set()
    cached = getattr(user, "_community_ids", None)
    if cached is None:
        teams = list(user.memberships.values_list("team_id", "team__learning_network_id"))
        faculty = set(user.faculty_roles.values_list("learning_network_id", flat=True))
        cached = ({t for t, _ in teams}, {n for _, n in teams}, faculty)
        user._community_ids = cached  # type: ignore[attr-defined]  # a cache, not a field
    return cached


def can_see_space(user: AnyUser, space: Any) -> bool:
    """VIEW_SPACE."""
    kinds = space.Kind
    if not is_network_member(user):
        return False
    if is_backbone(user) or space.kind == kinds.NETWORK_WIDE:
        return True
    if is_funder(user):
        return space.kind == kinds.LEARNING_NETWORK
    teams, team_networks, coached = community_ids(user)
    if space.kind == kinds.LEARNING_NETWORK:
        return space.network_id in team_networks | coached
    return space.team_id in teams or space.team.learning_network_id in coached


def can_moderate_space(user: AnyUser, space: Any) -> bool:
    """MODERATE_SPACE."""
    if is_backbone(user):
        return True
    if not user.is_authenticated or space.kind == space.Kind.NETWORK_WIDE:
        return False
    return space.learning_network_id in community_ids(user)[2]


def post_spaces(post: Any) -> list[Any]:
    """The spaces a post is shown in (looked up once per post object)."""
    cached = getattr(post, "_spaces", None)
    if cached is None:
        cached = list(post.spaces.select_related("team"))
        post._spaces = cached
    return cached


def can_see_post(user: AnyUser, post: Any) -> bool:
    """VIEW_POST: in a space the user sees; a hidden one only for its moderators."""
    if post.hidden and not can_moderate_space(user, post.space):
        return False
    return any(can_see_space(user, s) for s in post_spaces(post))


def visible_spaces(user: AnyUser) -> QuerySet:
    """The spaces this user may see (VIEW_SPACE), using the user's looked-up ids."""
    from django.db.models import Q

    from coiin.community.models import Space

    spaces = Space.objects.all()
    if not is_network_member(user):
        return spaces.none()
    if is_backbone(user):
        return spaces
    wide = Q(kind=Space.Kind.NETWORK_WIDE)
    if is_funder(user):
        return spaces.filter(wide | Q(kind=Space.Kind.LEARNING_NETWORK))
    teams, team_networks, coached = community_ids(user)
    return spaces.filter(
        wide
        | Q(kind=Space.Kind.LEARNING_NETWORK, network_id__in=team_networks | coached)
        | Q(kind=Space.Kind.TEAM, team_id__in=teams)
        | Q(kind=Space.Kind.TEAM, team__learning_network_id__in=coached)
    )


def visible_space_ids(user: AnyUser) -> list[int]:
    """Ids of the spaces this user may see (a short list: fine inside IN (...))."""
    return list(visible_spaces(user).values_list("pk", flat=True))


def visible_spaces_subquery(user: AnyUser) -> QuerySet:
    """The same spaces as ``visible_spaces`` (their pks), written with joins instead of
    looked-up ids, for use inside another query (no extra queries of its own)."""
    from django.db.models import Q

    from coiin.community.models import Space

    spaces = Space.objects.all()
    if not is_network_member(user):
        return spaces.none()
    if is_backbone(user):
        return spaces
    wide = Q(kind=Space.Kind.NETWORK_WIDE)
    if is_funder(user):
        return spaces.filter(wide | Q(kind=Space.Kind.LEARNING_NETWORK))
    network = Q(kind=Space.Kind.LEARNING_NETWORK)
    team = Q(kind=Space.Kind.TEAM)
    return spaces.filter(
        wide
        | network & Q(network__teams__memberships__user=user)
        | network & Q(network__faculty__user=user)
        | team & Q(team__memberships__user=user)
        | team & Q(team__learning_network__faculty__user=user)
    ).values("pk")


def visible_posts(user: AnyUser, posts: QuerySet | None = None) -> QuerySet:
    """Posts in at least one space the user may see; hidden ones only for the moderators
    of their home space (VIEW_POST)."""
    from django.db.models import Exists, OuterRef, Q

    from coiin.community.models import Post, PostSpace, Space

    posts = Post.objects.all() if posts is None else posts
    ids = visible_space_ids(user)
    if not ids:
        return posts.none()
    posts = posts.filter(Exists(PostSpace.objects.filter(post=OuterRef("pk"), space_id__in=ids)))
    if is_backbone(user):
        return posts
    moderated = [s.pk for s in Space.objects.filter(pk__in=ids).select_related("team")
                 if can_moderate_space(user, s)]
    return posts.filter(Q(hidden=False) | Q(space_id__in=moderated))


def visible_resources(user: AnyUser, resources: QuerySet | None = None) -> QuerySet:
    """The library (VIEW_RESOURCE): all of it for members of the network, else nothing."""
    from coiin.community.models import Resource

    resources = Resource.objects.all() if resources is None else resources
    return resources if is_network_member(user) else resources.none()


def visible_ta_requests(user: AnyUser, requests: QuerySet | None = None) -> QuerySet:
    """TA requests this user may see (VIEW_TA_REQUEST)."""
    from django.db.models import Q

    from coiin.community.models import TARequest

    requests = TARequest.objects.all() if requests is None else requests
    if is_backbone(user):
        return requests
    if not (user.is_authenticated and user.is_active):
        return requests.none()
    teams, _, coached = community_ids(user)
    return requests.filter(Q(team_id__in=teams) | Q(team__learning_network_id__in=coached))


def ta_teams(user: AnyUser) -> QuerySet[Team]:
    """Teams on whose behalf this user may ask for help (ASK_TA): their own."""
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(memberships__user=user).select_related(
        "jurisdiction", "learning_network")


def is_faculty(user: AnyUser) -> bool:
    """Faculty of at least one learning network."""
    return bool(community_ids(user)[2])
