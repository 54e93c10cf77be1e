"""The access policy as a table: role × object × action, allowed and denied."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from coiin import access
from coiin.access import Action
from coiin.network.models import FacultyAssignment, User

from .conftest import PERSONAS, make_user

Y, N = True, False
# Columns: overview, jurisdiction, network, team, roster, directory,
#          invite to GA Safe Sleep, invite to OH Smoking Cessation, manage network, admin
TABLE = {
    "anonymous": (Y, Y, Y, Y, N, N, N, N, N, N),
    "stranger":  (Y, Y, Y, Y, N, N, N, N, N, N),
    "member":    (Y, Y, Y, Y, Y, Y, N, N, N, N),
    "data_lead": (Y, Y, Y, Y, Y, Y, N, N, N, N),
    "lead":      (Y, Y, Y, Y, Y, Y, Y, N, N, N),
    "faculty":   (Y, Y, Y, Y, Y, Y, N, N, N, N),
    "outsider":  (Y, Y, Y, Y, Y, Y, N, Y, N, N),
    "backbone":  (Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    "funder":    (Y, Y, Y, Y, Y, Y, N, N, N, N),
}
# What an invite to GA Safe Sleep raises when refused: 403 for those close to the team.
INVITE_REFUSAL = {
    "anonymous": Http404, "stranger": Http404, "outsider": Http404,
    "member": PermissionDenied, "data_lead": PermissionDenied, "faculty": PermissionDenied,
    "funder": PermissionDenied,
}


def persona(request, name):
    return AnonymousUser() if name == "anonymous" else request.getfixturevalue(name)


def test_table_covers_every_persona():
    assert sorted(TABLE) == sorted(PERSONAS)


@pytest.mark.parametrize("name", PERSONAS)
def test_policy_table(request, name, team, other_team, jurisdictions):
    user = persona(request, name)
    got = (
        access.can(user, Action.VIEW_OVERVIEW),
        access.can(user, Action.VIEW_JURISDICTION, jurisdictions["GA"]),
        access.can(user, Action.VIEW_NETWORK, team.learning_network),
        access.can(user, Action.VIEW_TEAM, team),
        access.can(user, Action.VIEW_ROSTER, team),
        access.can(user, Action.VIEW_DIRECTORY),
        access.can(user, Action.INVITE_MEMBER, team),
        access.can(user, Action.INVITE_MEMBER, other_team),
        access.can(user, Action.MANAGE_NETWORK),
        access.can(user, Action.USE_ADMIN),
    )
    assert got == TABLE[name]


@pytest.mark.parametrize("name", PERSONAS)
def test_refusals_are_404_for_outsiders_and_403_for_those_close(request, name, team):
    user = persona(request, name)
    if name in INVITE_REFUSAL:
        with pytest.raises(INVITE_REFUSAL[name]):
            access.require(user, Action.INVITE_MEMBER, team)
    else:
        access.require(user, Action.INVITE_MEMBER, team)


@pytest.mark.parametrize("name", PERSONAS)
def test_directory_shows_people_only_to_members(request, name, team, lead, member):
    user = persona(request, name)
    visible = access.visible_people(user)
    if TABLE[name][5]:
        assert {lead, member} <= set(visible)
    else:
        assert not visible.exists()


def test_inactive_backbone_staff_lose_their_powers(backbone):
    backbone.is_active = False
    assert not access.can(backbone, Action.USE_ADMIN)
    assert not access.can(backbone, Action.VIEW_DIRECTORY)


def test_unknown_action_is_an_error(member):
    with pytest.raises(ValueError, match="unknown action"):
        access.can(member, "fly")  # type: ignore[arg-type]



# Storyboards of GA Safe Sleep: write (the team), review (its network's faculty), publish
# (backbone staff only); backbone staff may do all three.
STORYBOARD_TABLE = {
    "anonymous": (N, N, N), "stranger": (N, N, N), "member": (Y, N, N),
    "data_lead": (Y, N, N), "lead": (Y, N, N), "faculty": (N, Y, N), "outsider": (N, N, N),
    "backbone": (Y, Y, Y), "funder": (N, N, N),
}


@pytest.mark.parametrize("name", PERSONAS)
def test_storyboard_policy_table(request, name, team):
    user = persona(request, name)
    got = tuple(access.can(user, a, team) for a in (
        Action.WRITE_STORYBOARD, Action.REVIEW_STORYBOARD, Action.PUBLISH_STORYBOARD))
    assert got == STORYBOARD_TABLE[name]


# Community ----------------------------------------------------------------------------
# Every kind of space × every persona (plus faculty of another network) × each community
# action. In each space there is a question by the team member (with a PDF attached), a
# hidden post and a locked thread. "helpers" checks access's named predicates and query
# helpers for the same rules, "access" the Actions themselves: they must agree.

COMMUNITY_PERSONAS = [*PERSONAS, "other_faculty"]
# Columns: see the space, post in it, moderate it, see the question, comment on it,
#          moderate it, mark its answer, download its attachment, see the hidden post,
#          comment in the locked thread
SPACE_TABLE = {
    "wide": {
        "anonymous":     (N, N, N, N, N, N, N, N, N, N),
        "stranger":      (N, N, N, N, N, N, N, N, N, N),
        "member":        (Y, Y, N, Y, Y, N, Y, Y, N, N),
        "data_lead":     (Y, Y, N, Y, Y, N, N, Y, N, N),
        "lead":          (Y, Y, N, Y, Y, N, N, Y, N, N),
        "faculty":       (Y, Y, N, Y, Y, N, N, Y, N, N),
        "other_faculty": (Y, Y, N, Y, Y, N, N, Y, N, N),
        "outsider":      (Y, Y, N, Y, Y, N, N, Y, N, N),
        "backbone":      (Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
        "funder":        (Y, N, N, Y, N, N, N, Y, N, N),
    },
    "network": {
        "anonymous":     (N, N, N, N, N, N, N, N, N, N),
        "stranger":      (N, N, N, N, N, N, N, N, N, N),
        "member":        (Y, Y, N, Y, Y, N, Y, Y, N, N),
        "data_lead":     (Y, Y, N, Y, Y, N, N, Y, N, N),
        "lead":          (Y, Y, N, Y, Y, N, N, Y, N, N),
        "faculty":       (Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
        "other_faculty": (N, N, N, N, N, N, N, N, N, N),
        "outsider":      (N, N, N, N, N, N, N, N, N, N),
        "backbone":      (Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
        "funder":        (Y, N, N, Y, N, N, N, Y, N, N),
    },
    "team": {
        "anonymous":     (N, N, N, N, N, N, N, N, N, N),
        "stranger":      (N, N, N, N, N, N, N, N, N, N),
        "member":        (Y, Y, N, Y, Y, N, Y, Y, N, N),
        "data_lead":     (Y, Y, N, Y, Y, N, N, Y, N, N),
        "lead":          (Y, Y, N, Y, Y, N, N, Y, N, N),
        "faculty":       (Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
        "other_faculty": (N, N, N, N, N, N, N, N, N, N),
        "outsider":      (N, N, N, N, N, N, N, N, N, N),
        "backbone":      (Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
        "funder":        (N, N, N, N, N, N, N, N, N, N),
    },
}
# Columns: read the library, add to it, add a version of the member's Safe Sleep resource,
#          see Georgia Safe Sleep's TA request, ask for help for Georgia Safe Sleep, handle
#          the request (assign, the helping side), rate it (the requesting side), manage
#          Safe Sleep's events (schedule, attendance, slides)
OTHER_TABLE = {
    "anonymous":     (N, N, N, N, N, N, N, N),
    "stranger":      (N, N, N, N, N, N, N, N),
    "member":        (Y, Y, Y, Y, Y, N, Y, N),
    "data_lead":     (Y, Y, N, Y, Y, N, Y, N),
    "lead":          (Y, Y, N, Y, Y, N, Y, N),
    "faculty":       (Y, Y, Y, Y, N, Y, N, Y),
    "other_faculty": (Y, Y, N, N, N, N, N, N),
    "outsider":      (Y, Y, N, N, N, N, N, N),
    "backbone":      (Y, Y, Y, Y, N, Y, N, Y),
    "funder":        (Y, N, N, N, N, N, N, N),
}


@pytest.fixture
def other_faculty(other_team) -> User:
    """Faculty of Smoking Cessation: another network's coach."""
    user = make_user("olga.otherfaculty@example.org")
    FacultyAssignment.objects.create(learning_network=other_team.learning_network, user=user)
    return user


@pytest.fixture
def community(settings, tmp_path, team, other_team, member, backbone):
    """Each kind of space with its three posts, a resource and a TA request."""
    from coiin.community import services
    from coiin.community.models import Post
    from coiin.community.resources.models import Resource
    from coiin.community.ta.services import open_request
    from coiin.community.uploads import check_upload

    settings.MEDIA_ROOT = tmp_path / "media"
    spaces = {"wide": services.network_wide_space(),
              "network": services.space_for(team.learning_network),
              "team": services.space_for(team)}
    posts = {}
    for kind, space in spaces.items():
        pdf = SimpleUploadedFile(f"{kind}.pdf", b"%PDF-1.4 " + kind.encode())
        question = services.create_post(
            author=member, spaces=[space], kind=Post.Kind.QUESTION, title=f"Asked in {kind}",
            body="How do you count safe sleep conversations?", files=[check_upload(pdf)])
        hidden, locked = (services.create_post(author=backbone, spaces=[space], kind="idea",
                                               title=f"{what} in {kind}", body=what)
                          for what in ("Hidden", "Locked"))
        Post.objects.filter(pk=hidden.pk).update(hidden=True)
        Post.objects.filter(pk=locked.pk).update(locked=True)
        posts[kind] = tuple(Post.objects.get(pk=p.pk) for p in (question, hidden, locked))
    resource = Resource.objects.create(kind=Resource.Kind.LINK, title="Crib audit",
                                       url="https://example.org/audit", created_by=member,
                                       network=team.learning_network)
    request = open_request(team=team, by=member, topic="Our run chart",
                           description="Is this a shift?")
    return {"spaces": spaces, "posts": posts, "resource": resource, "request": request}


def _community_checks(via, user, obj):
    """The checks of one table row, through access's named predicates and query helpers
    (Actions where a rule has no other name) or through the Actions alone."""
    A = Action
    if via == "helpers":
        return {
            "space": [access.can_see_space, lambda u, o: access.can(u, A.POST_IN_SPACE, o),
                      access.can_moderate_space],
            "post": [access.can_see_post, lambda u, o: access.can(u, A.COMMENT_ON_POST, o),
                     lambda u, o: access.can_moderate_space(u, o.space),
                     lambda u, o: access.can(u, A.MARK_ANSWER, o)],
            "attachment": lambda u, a: access.can_see_post(u, a.post),
            "other": [lambda u, _: access.visible_resources(u).exists(),
                      lambda u, _: access.can(u, A.ADD_RESOURCE),
                      lambda u, o: access.can(u, A.EDIT_RESOURCE, o["resource"]),
                      lambda u, o: access.can_see_ta_request(u, o["request"]),
                      lambda u, o: access.ta_teams(u).filter(pk=o["team"].pk).exists(),
                      lambda u, o: access.can(u, A.HANDLE_TA, o["request"]),
                      lambda u, o: access.can(u, A.RATE_TA, o["request"]),
                      lambda u, o: o["team"].learning_network
                      in access.manageable_networks(u)],
        }
    return {
        "space": [lambda u, o, a=a: access.can(u, a, o)
                  for a in (A.VIEW_SPACE, A.POST_IN_SPACE, A.MODERATE_SPACE)],
        "post": [lambda u, o, a=a: access.can(u, a, o)
                 for a in (A.VIEW_POST, A.COMMENT_ON_POST, A.MODERATE_POST, A.MARK_ANSWER)],
        "attachment": lambda u, a: access.can(u, A.VIEW_ATTACHMENT, a),
        "other": [lambda u, _: access.can(u, A.VIEW_RESOURCE),
                  lambda u, _: access.can(u, A.ADD_RESOURCE),
                  lambda u, o: access.can(u, A.EDIT_RESOURCE, o["resource"]),
                  lambda u, o: access.can(u, A.VIEW_TA_REQUEST, o["request"]),
                  lambda u, o: access.can(u, A.ASK_TA, o["team"]),
                  lambda u, o: access.can(u, A.HANDLE_TA, o["request"]),
                  lambda u, o: access.can(u, A.RATE_TA, o["request"]),
                  lambda u, o: access.can(u, A.MANAGE_EVENT, o["team"].learning_network)],
    }


def test_community_tables_cover_every_persona():
    assert sorted(OTHER_TABLE) == sorted(COMMUNITY_PERSONAS)
    for kind in SPACE_TABLE:
        assert sorted(SPACE_TABLE[kind]) == sorted(COMMUNITY_PERSONAS)


@pytest.mark.parametrize("via", ["helpers", "access"])
@pytest.mark.parametrize("name", COMMUNITY_PERSONAS)
def test_community_policy_table(request, community, team, name, via):
    user = persona(request, name)
    checks = _community_checks(via, user, None)
    for kind, space in community["spaces"].items():
        question, hidden, locked = community["posts"][kind]
        got = (
            *(check(user, space) for check in checks["space"]),
            *(check(user, question) for check in checks["post"]),
            checks["attachment"](user, question.attachments.get()),
            checks["post"][0](user, hidden),
            checks["post"][1](user, locked),
        )
        assert got == SPACE_TABLE[kind][name], kind
    objects = {"resource": community["resource"], "request": community["request"], "team": team}
    assert tuple(check(user, objects) for check in checks["other"]) == OTHER_TABLE[name]


@pytest.mark.parametrize("name", COMMUNITY_PERSONAS)
def test_community_lists_follow_the_table(request, community, name):
    """The queries (spaces, posts, TA requests, resources) show exactly what the table allows."""
    from coiin.community.models import Space
    from coiin.community.resources.models import Resource

    user = persona(request, name)
    spaces = {k for k, s in community["spaces"].items() if SPACE_TABLE[k][name][0]}
    ids = {community["spaces"][k].pk for k in spaces}
    ours = {s.pk for s in community["spaces"].values()}  # other networks' spaces aside
    assert set(access.visible_spaces(user).values_list("pk", flat=True)) & ours == ids
    assert set(access.visible_space_ids(user)) & ours == ids
    assert set(Space.objects.filter(pk__in=access.visible_spaces_subquery(user))
               .values_list("pk", flat=True)) & ours == ids
    posts = set(access.visible_posts(user))
    for kind, (question, hidden, locked) in community["posts"].items():
        assert (question in posts) == SPACE_TABLE[kind][name][3], kind
        assert (locked in posts) == SPACE_TABLE[kind][name][3], kind
        assert (hidden in posts) == SPACE_TABLE[kind][name][8], kind
    assert access.visible_ta_requests(user).exists() == OTHER_TABLE[name][3]
    assert (access.visible_resources(user, Resource.objects.all()).exists()
            == OTHER_TABLE[name][0])


def _refusal(allowed: bool, sees: bool):
    return None if allowed else PermissionDenied if sees else Http404


def _raised(check, *args, **kwargs):
    try:
        check(*args, **kwargs)
    except (PermissionDenied, Http404) as exc:
        return type(exc)
    return None


@pytest.mark.parametrize("name", COMMUNITY_PERSONAS)
def test_community_refusals_are_404_for_outsiders_and_403_for_readers(request, community,
                                                                       name):
    """Writing where one may only read is 403; anything about what one may not see, 404."""
    user = persona(request, name)
    for kind, space in community["spaces"].items():
        row = SPACE_TABLE[kind][name]
        question, _, locked = community["posts"][kind]
        expected = _refusal(row[1], row[0])
        assert _raised(access.require, user, Action.POST_IN_SPACE, space) == expected
        assert _raised(access.require, user, Action.VIEW_SPACE, space) == _refusal(row[0], row[0])
        assert _raised(access.require, user, Action.MODERATE_POST, question) == (
            _refusal(row[5], row[3]))
        assert _raised(access.require, user, Action.COMMENT_ON_POST, locked) == (
            _refusal(row[9], row[3]))
    row = OTHER_TABLE[name]
    req = community["request"]
    assert _raised(access.require, user, Action.ADD_RESOURCE) == (
        _refusal(row[1], row[0]))
    assert _raised(access.require, user, Action.HANDLE_TA, req) == _refusal(row[5], row[3])
    assert _raised(access.require, user, Action.RATE_TA, req) == _refusal(row[6], row[3])


def test_a_community_action_on_the_wrong_object_is_an_error(member, team):
    with pytest.raises(TypeError, match="needs a Space"):
        access.can(member, Action.VIEW_SPACE, team)
    with pytest.raises(TypeError, match="needs a TARequest"):
        access.can(member, Action.HANDLE_TA, team)


# Improvement, events, mentoring and report jobs ---------------------------------------
# One row per persona; each column an action on one object, as the comment above the
# table says. Georgia Safe Sleep is "the team", Ohio Smoking Cessation "the other team".

# Columns: see the team's work, change it, comment on its cycles, see the other team's
#          work, see Safe Sleep's network work, change it, read its change package
IMPROVEMENT_TABLE = {
    "anonymous": (N, N, N, N, N, N, Y),
    "stranger":  (N, N, N, N, N, N, Y),
    "member":    (Y, Y, Y, N, Y, N, Y),
    "data_lead": (Y, Y, Y, N, Y, N, Y),
    "lead":      (Y, Y, Y, N, Y, N, Y),
    "faculty":   (Y, Y, Y, N, Y, Y, Y),
    "outsider":  (N, N, N, Y, Y, N, Y),
    "backbone":  (Y, Y, Y, Y, Y, Y, Y),
    "funder":    (Y, N, N, Y, Y, N, Y),
}


@pytest.mark.parametrize("name", PERSONAS)
def test_improvement_policy_table(request, name, team, other_team):
    user = persona(request, name)
    network = team.learning_network
    got = (
        access.can(user, Action.VIEW_IMPROVEMENT, team),
        access.can(user, Action.EDIT_IMPROVEMENT, team),
        access.can(user, Action.COMMENT_ON_CYCLE, team),
        access.can(user, Action.VIEW_IMPROVEMENT, other_team),
        access.can(user, Action.VIEW_NETWORK_IMPROVEMENT, network),
        access.can(user, Action.EDIT_NETWORK_IMPROVEMENT, network),
        access.can(user, Action.VIEW_CHANGE_PACKAGE, network),
    )
    assert got == IMPROVEMENT_TABLE[name]
    visible = access.teams_with_visible_work(user)
    assert (visible.filter(pk=team.pk).exists(), visible.filter(pk=other_team.pk).exists()) == (
        IMPROVEMENT_TABLE[name][0], IMPROVEMENT_TABLE[name][3])


# A Safe Sleep webinar for its network, and a learning session Safe Sleep hosts for the
# whole network. Columns: manage Safe Sleep's events, see its calendar feed, schedule
#          network-wide events, see the webinar, run it (attendance, materials), change
#          it, see the network-wide session, run it, change it
EVENT_TABLE = {
    "anonymous": (N, N, N, N, N, N, N, N, N),
    "stranger":  (N, N, N, N, N, N, N, N, N),
    "member":    (N, Y, N, Y, N, N, Y, N, N),
    "data_lead": (N, Y, N, Y, N, N, Y, N, N),
    "lead":      (N, Y, N, Y, N, N, Y, N, N),
    "faculty":   (Y, Y, N, Y, Y, Y, Y, Y, N),
    "outsider":  (N, N, N, N, N, N, Y, N, N),
    "backbone":  (Y, Y, Y, Y, Y, Y, Y, Y, Y),
    "funder":    (N, Y, N, Y, N, N, Y, N, N),
}


@pytest.fixture
def two_events(team):
    import datetime as dt

    from coiin.community.events import services as events
    from coiin.community.events.models import EventDetail

    start = dt.datetime(2030, 7, 9, 17, 0, tzinfo=dt.UTC)
    webinar = events.schedule_event(
        network=team.learning_network, by=None, format="webinar", title="Crib audits",
        starts_at=start, ends_at=start + dt.timedelta(hours=1))
    session = events.schedule_event(
        network=team.learning_network, by=None, format="learning_session",
        title="All-network session", starts_at=start + dt.timedelta(days=7),
        ends_at=start + dt.timedelta(days=7, hours=7), audience=EventDetail.Audience.EVERYONE)
    return webinar, session


@pytest.mark.parametrize("name", PERSONAS)
def test_event_policy_table(request, name, team, two_events):
    user = persona(request, name)
    network = team.learning_network
    got = (
        access.can(user, Action.MANAGE_EVENT, network),
        access.can(user, Action.VIEW_NETWORK_EVENTS, network),
        access.can(user, Action.SCHEDULE_NETWORK_WIDE),
        *(access.can(user, action, detail) for detail in two_events
          for action in (Action.VIEW_EVENT, Action.RUN_EVENT, Action.EDIT_EVENT)),
    )
    assert got == EVENT_TABLE[name]
    row = EVENT_TABLE[name]
    shown = set(access.visible_events(user))
    assert (two_events[0] in shown, two_events[1] in shown) == (row[3], row[6])
    assert (network in access.manageable_networks(user)) == row[0]
    webinar, session = two_events
    assert _raised(access.require, user, Action.EDIT_EVENT, webinar) == _refusal(row[5], row[3])
    assert _raised(access.require, user, Action.EDIT_EVENT, session) == _refusal(row[8], row[6])


# A pairing in which the team mentors the other team. Columns: ask for a mentor for the
#          team, see the pairing, answer it (the mentor team's lead), record a meeting (the
#          two teams and the mentee's faculty), close it (the two teams)
MENTORING_TABLE = {
    "anonymous": (N, N, N, N, N),
    "stranger":  (N, N, N, N, N),
    "member":    (Y, Y, N, Y, Y),
    "data_lead": (Y, Y, N, Y, Y),
    "lead":      (Y, Y, Y, Y, Y),
    "faculty":   (N, Y, N, N, N),
    "outsider":  (N, Y, N, Y, Y),
    "backbone":  (Y, Y, Y, Y, Y),
    "funder":    (N, Y, N, N, N),
}


@pytest.mark.parametrize("name", PERSONAS)
def test_mentoring_policy_table(request, name, team, other_team, catalog):
    from coiin.community.mentoring.models import MentorPairing

    user = persona(request, name)
    pairing = MentorPairing.objects.create(
        mentor=team, mentee=other_team, measure=next(iter(catalog.values())),
        requested_by=make_user("rita.requester@example.org"))
    got = (
        access.can(user, Action.REQUEST_MENTOR, team),
        *(access.can(user, action, pairing) for action in (
            Action.VIEW_PAIRING, Action.ANSWER_PAIRING, Action.RECORD_MEETING,
            Action.CLOSE_PAIRING)),
    )
    assert got == MENTORING_TABLE[name]
    row = MENTORING_TABLE[name]
    assert _raised(access.require, user, Action.ANSWER_PAIRING, pairing) == (
        _refusal(row[2], row[1]))


# Reports made in the background. Columns: see a job for the team's report, for Safe
#          Sleep's network report, for the national report, and a job one asked for oneself
#          (about the other team)
REPORT_JOB_TABLE = {
    "anonymous": (N, N, N, N),
    "stranger":  (N, N, N, Y),
    "member":    (Y, N, N, Y),
    "data_lead": (Y, N, N, Y),
    "lead":      (Y, N, N, Y),
    "faculty":   (Y, Y, Y, Y),
    "outsider":  (N, N, N, Y),
    "backbone":  (Y, Y, Y, Y),
    "funder":    (Y, Y, Y, Y),
}


@pytest.mark.parametrize("name", PERSONAS)
def test_report_job_policy_table(request, name, team, other_team):
    from coiin.reports.jobs.models import ReportJob

    user = persona(request, name)
    mine = user if user.is_authenticated else None

    def job(kind, **subject):
        return ReportJob.objects.create(kind=kind, period="2017-12", format="pdf", **subject)

    jobs = [job("team", team=team), job("network", network=team.learning_network),
            job("national"), job("team", team=other_team, requested_by=mine)]
    got = tuple(access.can(user, Action.VIEW_REPORT_JOB, j) for j in jobs)
    assert got == REPORT_JOB_TABLE[name]
    for j, allowed in zip(jobs, got, strict=True):  # never 403: a job one may not see is not there
        assert _raised(access.require, user, Action.VIEW_REPORT_JOB, j) == (
            None if allowed else Http404)


# Official vital statistics (no object): may see them, and what a refusal raises.
VITALS_TABLE = {
    "anonymous": (N, Http404),
    "stranger":  (N, Http404),
    "member":    (N, PermissionDenied),
    "data_lead": (N, PermissionDenied),
    "lead":      (N, PermissionDenied),
    "faculty":   (N, PermissionDenied),
    "outsider":  (N, PermissionDenied),
    "backbone":  (Y, None),
    "funder":    (Y, None),
}


@pytest.mark.parametrize("name", PERSONAS)
def test_vitals_policy_table(request, name):
    user = persona(request, name)
    allowed, refusal = VITALS_TABLE[name]
    assert access.can(user, Action.VIEW_VITALS) == allowed
    assert _raised(access.require, user, Action.VIEW_VITALS) == refusal


def test_subject_tables_cover_every_persona():
    for table in (IMPROVEMENT_TABLE, EVENT_TABLE, MENTORING_TABLE, REPORT_JOB_TABLE,
                  VITALS_TABLE):
        assert sorted(table) == sorted(PERSONAS)


# Site-level reporting --------------------------------------------------------------------
# Georgia Safe Sleep has two hospitals; "site_staff" is a team member limited to Grady.
# Columns: see Grady's values, see Piedmont's, enter Grady's, enter Piedmont's, enter the
#          team's own figures, manage the team's sites, see the team's (rolled-up) data and
#          charts, see its improvement work, open its entry pages
SITE_PERSONAS = [*PERSONAS, "site_staff"]
SITE_TABLE = {
    "anonymous":  (N, N, N, N, N, N, N, N, N),
    "stranger":   (N, N, N, N, N, N, N, N, N),
    "member":     (Y, Y, Y, Y, Y, N, Y, Y, Y),
    "data_lead":  (Y, Y, Y, Y, Y, Y, Y, Y, Y),
    "lead":       (Y, Y, Y, Y, Y, Y, Y, Y, Y),
    "faculty":    (Y, Y, N, N, N, N, Y, Y, N),
    "outsider":   (N, N, N, N, N, N, N, N, N),
    "backbone":   (Y, Y, Y, Y, Y, Y, Y, Y, Y),
    "funder":     (Y, Y, N, N, N, N, Y, Y, N),
    "site_staff": (Y, N, Y, N, N, N, Y, Y, Y),
}


@pytest.fixture
def hospitals(team):
    from coiin.network.models import ReportingUnit

    return [ReportingUnit.objects.create(team=team, name=n, kind="hospital")
            for n in ("Grady Memorial", "Piedmont Atlanta")]


@pytest.fixture
def site_staff(team, hospitals) -> User:
    from coiin.network import services
    from coiin.network.models import TeamMembership

    user = make_user("sid.site@example.org")
    membership = services.add_member(team=team, user=user, role=TeamMembership.Role.MEMBER)
    services.set_member_site(membership=membership, unit=hospitals[0])
    return user


def test_site_table_covers_every_persona():
    assert sorted(SITE_TABLE) == sorted(SITE_PERSONAS)


@pytest.mark.parametrize("name", SITE_PERSONAS)
def test_site_policy_table(request, name, team, hospitals):
    user = persona(request, name)
    grady, piedmont = hospitals
    got = (
        access.can(user, Action.VIEW_SITE_DATA, grady),
        access.can(user, Action.VIEW_SITE_DATA, piedmont),
        access.can(user, Action.ENTER_SITE_DATA, grady),
        access.can(user, Action.ENTER_SITE_DATA, piedmont),
        access.can(user, Action.ENTER_TEAM_VALUES, team),
        access.can(user, Action.MANAGE_SITES, team),
        access.can(user, Action.VIEW_DATA, team),
        access.can(user, Action.VIEW_IMPROVEMENT, team),
        access.can(user, Action.ENTER_DATA, team),
    )
    assert got == SITE_TABLE[name]
    row = SITE_TABLE[name]
    assert set(access.visible_units(user, team)) == {
        u for u, seen in zip(hospitals, row[:2], strict=True) if seen}
    assert set(access.enterable_units(user, team)) == {
        u for u, entered in zip(hospitals, row[2:4], strict=True) if entered}


def test_site_staff_are_team_members_for_the_community(request, team, site_staff):
    assert access.is_on_team(site_staff, team)
    assert access.staff_site(site_staff, team) is not None
    assert team.pk in access.community_ids(site_staff)[0]


def test_a_site_action_on_the_wrong_object_is_an_error(member, team):
    with pytest.raises(TypeError, match="needs a reporting unit"):
        access.can(member, Action.VIEW_SITE_DATA, team)


# Columns: change Safe Sleep's pooled chart type, change Smoking Cessation's
NETWORK_CHART_TABLE = {
    "anonymous": (N, N), "stranger": (N, N), "member": (N, N), "data_lead": (N, N),
    "lead": (N, N), "faculty": (Y, N), "outsider": (N, N), "backbone": (Y, Y),
    "funder": (N, N),
}


@pytest.mark.parametrize("name", PERSONAS)
def test_network_chart_policy_table(request, name, team, other_team):
    user = persona(request, name)
    got = (access.can(user, Action.CHANGE_NETWORK_CHART, team.learning_network),
           access.can(user, Action.CHANGE_NETWORK_CHART, other_team.learning_network))
    assert got == NETWORK_CHART_TABLE[name]
    if not got[0]:
        refusal = PermissionDenied if access.sees(user, team.learning_network) else Http404
        with pytest.raises(refusal):
            access.require(user, Action.CHANGE_NETWORK_CHART, team.learning_network)
    with pytest.raises(TypeError, match="needs a learning network"):
        access.can(user, Action.CHANGE_NETWORK_CHART, team)
