"""The actions one may ask about, and the shape of the rule that answers each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AnonymousUser

from coiin.network.models import User

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
    # The chart type of a network's pooled chart; the object is the network.
    CHANGE_NETWORK_CHART = "change_network_chart"
    # Site-level reporting. The team's own figures (not site staff); the object is the team:
    ENTER_TEAM_VALUES = "enter_team_values"
    # List, add and rename a team's sites, choose measures reported by site, name site
    # staff; the object is the team:
    MANAGE_SITES = "manage_sites"
    # One site's values; the object is the ReportingUnit (site staff: their own site only):
    VIEW_SITE_DATA = "view_site_data"
    ENTER_SITE_DATA = "enter_site_data"
    # Every team's submitted data across a learning network; the object is the network.
    VIEW_NETWORK_DATA = "view_network_data"
    # The network's pooled (aggregate) data; the object is the network.
    VIEW_NETWORK_POOLED = "view_network_pooled"
    # Every jurisdiction's latest values and signals side by side.
    VIEW_NATIONAL = "view_national"
    # Official vital statistics: the loaded files and the rates reproduced from them.
    VIEW_VITALS = "view_vitals"
    # Enter a jurisdiction's figures as its vital-records office; the object is the
    # jurisdiction. Name the office's people (backbone staff):
    ENTER_VITALS = "enter_vitals"
    GRANT_VITALS_ROLE = "grant_vitals_role"
    # A jurisdiction's figures across its teams (its equity page); the object is the
    # jurisdiction.
    VIEW_JURISDICTION_DATA = "view_jurisdiction_data"
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
    # Community (the rules: access.community). A space is the object of:
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
    # Events (the rules: access.events); the object is the EventDetail, except for:
    VIEW_NETWORK_EVENTS = "view_network_events"  # a network's calendar feed: the network
    SCHEDULE_NETWORK_WIDE = "schedule_network_wide"  # no object
    VIEW_EVENT = "view_event"
    RUN_EVENT = "run_event"  # attendance and materials: MANAGE_EVENT on the host network
    EDIT_EVENT = "edit_event"  # change or cancel
    # Peer mentoring (the rules: access.mentoring). Ask a bright spot for an introduction
    # on behalf of a team (the object is the asking team):
    REQUEST_MENTOR = "request_mentor"
    # A mentor pairing is the object of:
    VIEW_PAIRING = "view_pairing"
    ANSWER_PAIRING = "answer_pairing"  # accept or decline: the mentor team's lead
    RECORD_MEETING = "record_meeting"
    CLOSE_PAIRING = "close_pairing"
    # A report made in the background (the rules: access.reports); the object is the job.
    VIEW_REPORT_JOB = "view_report_job"


Check = Callable[[AnyUser, Any], bool]


@dataclass(frozen=True)
class Rule:
    """Who may do one action: ``check(user, obj)``; ``needs`` is the class the object must
    be (a wrong object is a programming error), ``what`` names it in that error;
    ``refusal`` is the 403 message."""

    check: Check
    needs: type | None = None
    refusal: str | None = None
    what: str = ""

    def object_name(self) -> str:
        return self.what or (f"a {self.needs.__name__}" if self.needs else "no object")


Rules = dict[Action, Rule]
