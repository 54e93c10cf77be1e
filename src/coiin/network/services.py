"""The only ways the network changes: joining networks, memberships and invitations.

Pages, the admin, the API, bulk loads and the demo all call these functions.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from .models import (
    MAX_NETWORKS_PER_JURISDICTION,
    Cohort,
    Invitation,
    Jurisdiction,
    LearningNetwork,
    ReportingUnit,
    Team,
    TeamMembership,
    User,
    three_network_message,
)


def add_jurisdiction(
    *, name: str, code: str, kind: str, hhs_region: int, cohort: Cohort, fips_code: str = "",
    official_name: str = "", regional_office: str = "",
) -> Jurisdiction:
    """Add a jurisdiction of any kind: a tribal nation, a city health department, a new
    territory grouping. ``code`` is 2 to 8 letters and digits starting with a letter (any
    case; stored in capitals); ``fips_code`` may be blank. ValidationError names the field."""
    jurisdiction = Jurisdiction(
        name=name.strip(), official_name=official_name.strip(),
        postal_code=code.strip().upper(), fips_code=fips_code.strip(), kind=kind,
        hhs_region=hhs_region, regional_office=regional_office.strip(), cohort=cohort,
    )
    jurisdiction.full_clean()
    jurisdiction.save()
    return jurisdiction


def join_network(
    *, jurisdiction: Jurisdiction, learning_network: LearningNetwork,
    joined_on: dt.date | None = None,
) -> Team:
    """Create the jurisdiction's team in a learning network, within the three-network rule.

    Raises ValidationError (naming the jurisdiction and its current networks) for a
    fourth network, and for a network the jurisdiction has already joined.
    """
    team = Team(jurisdiction=jurisdiction, learning_network=learning_network)
    if joined_on is not None:
        team.joined_on = joined_on
    if Team.objects.filter(jurisdiction=jurisdiction, learning_network=learning_network).exists():
        raise ValidationError(
            gettext("%(jurisdiction)s is already in the %(learning_network)s learning network.")
            % {"jurisdiction": jurisdiction.name, "learning_network": learning_network.name},
            code="already_joined",
        )
    team.clean()
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        # Another request took the last free slot between our check and our insert.
        current = list(
            Team.objects.filter(jurisdiction=jurisdiction)
            .values_list("learning_network__name", flat=True)
        )
        if len(current) >= MAX_NETWORKS_PER_JURISDICTION:
            raise ValidationError(three_network_message(jurisdiction, current),
                                  code="too_many_networks") from None
        raise
    return team


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return gettext("row {row}, {field}: {message}").format(row=self.row, field=self.field,
                                                               message=self.message)


class BulkLoadError(Exception):
    """A bulk load was refused; nothing was stored. ``errors`` says where and why."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


TEAM_CSV_COLUMNS = ("jurisdiction", "learning_network")


def load_teams_csv(text: str) -> list[Team]:
    """Create teams from CSV (jurisdiction, learning_network[, joined_on]); all or nothing.

    ``jurisdiction`` is a postal code or name; ``learning_network`` a slug, name or short name.
    Row numbers count the header as row 1, as a spreadsheet shows them.
    """
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in TEAM_CSV_COLUMNS if c not in header]
    if missing:
        raise BulkLoadError([RowError(1, c, gettext("column is missing from the header"))
                             for c in missing])
    jurisdictions = {j.postal_code.upper(): j for j in Jurisdiction.objects.all()}
    jurisdictions.update({j.name.upper(): j for j in list(jurisdictions.values())})
    networks = {n.slug.upper(): n for n in LearningNetwork.objects.all()}
    networks.update({n.name.upper(): n for n in list(networks.values())})
    networks.update({n.short_name.upper(): n for n in list(networks.values())})
    errors: list[RowError] = []
    created: list[Team] = []
    with transaction.atomic():
        for rowno, raw in enumerate(reader, start=2):
            row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
            jur = jurisdictions.get(row["jurisdiction"].upper())
            net = networks.get(row["learning_network"].upper())
            if jur is None:
                errors.append(RowError(rowno, "jurisdiction", gettext(
                    "no jurisdiction %(name)s") % {"name": repr(row["jurisdiction"])}))
            if net is None:
                errors.append(RowError(rowno, "learning_network", gettext(
                    "no learning network %(name)s") % {"name": repr(row["learning_network"])}))
            joined_on = None
            if row.get("joined_on"):
                try:
                    joined_on = dt.date.fromisoformat(row["joined_on"])
                except ValueError:
                    errors.append(RowError(rowno, "joined_on", gettext(
                        "%(text)s is not a date (YYYY-MM-DD)") % {"text": repr(row["joined_on"])}))
            if jur is None or net is None:
                continue
            try:
                created.append(join_network(jurisdiction=jur, learning_network=net,
                                            joined_on=joined_on))
            except ValidationError as exc:
                field = "learning_network"
                errors.extend(RowError(rowno, field, m) for m in exc.messages)
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise BulkLoadError(errors)
    return created


def add_member(*, team: Team, user: User, role: str) -> TeamMembership:
    """Put a person on a team in a role (or change their role there)."""
    if role not in TeamMembership.Role.values:
        raise ValidationError(gettext("%(role)s is not a team role.") % {"role": repr(role)})
    membership, _created = TeamMembership.objects.update_or_create(
        team=team, user=user, defaults={"role": role}
    )
    return membership


def add_members(*, team: Team, roles: Sequence[tuple[User, str]]) -> None:
    """``add_member`` for several people of one team, in order (a later role for the same
    person wins), with one read of the team's memberships and one insert of the new ones
    rather than a look-up, a savepoint and a write per person."""
    for _user, role in roles:
        if role not in TeamMembership.Role.values:
            raise ValidationError(gettext("%(role)s is not a team role.") % {"role": repr(role)})
    wanted: dict[int, tuple[User, str]] = {}
    for user, role in roles:
        wanted[user.pk] = (user, role)
    with transaction.atomic():
        current = {m.user_id: m for m in TeamMembership.objects.filter(
            team=team, user_id__in=list(wanted))}
        changed: dict[str, list[int]] = defaultdict(list)
        for user_id, (_user, role) in wanted.items():
            if user_id in current and current[user_id].role != role:
                changed[role].append(current[user_id].pk)
        for role, pks in changed.items():
            TeamMembership.objects.filter(pk__in=pks).update(role=role)
        TeamMembership.objects.bulk_create([
            TeamMembership(team=team, user=user, role=role)
            for user_id, (user, role) in wanted.items() if user_id not in current])


def add_reporting_unit(*, team: Team, name: str, kind: str) -> ReportingUnit:
    """Add a site (hospital, clinic, county) that reports below the team."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(gettext("Give the site a name."))
    if kind not in ReportingUnit.Kind.values:
        raise ValidationError(gettext("%(kind)s is not a kind of site.") % {"kind": repr(kind)})
    if team.reporting_units.filter(name__iexact=name).exists():
        raise ValidationError(gettext("%(team)s already has a site called %(name)s.")
                              % {"team": team, "name": name})
    return ReportingUnit.objects.create(team=team, name=name, kind=kind)


def rename_reporting_unit(*, unit: ReportingUnit, name: str) -> ReportingUnit:
    """Rename a site; its values keep belonging to it."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(gettext("Give the site a name."))
    if unit.team.reporting_units.filter(name__iexact=name).exclude(pk=unit.pk).exists():
        raise ValidationError(gettext("%(team)s already has a site called %(name)s.")
                              % {"team": unit.team, "name": name})
    unit.name = name
    unit.save(update_fields=["name"])
    return unit


def set_member_site(*, membership: TeamMembership, unit: ReportingUnit | None) -> None:
    """Make a team member site staff of one of the team's sites (or, None, of the whole
    team again). Site staff enter and see only their own site's values."""
    if unit is not None and unit.team_id != membership.team_id:
        raise ValidationError(gettext("%(unit)s is not one of %(team)s's sites.")
                              % {"unit": unit, "team": membership.team})
    membership.unit = unit
    membership.save(update_fields=["unit"])


def reader_language(email: str) -> str | None:
    """The language an e-mail to this address is written in: its person's profile language,
    or the active one (None) if they chose none or have no account yet."""
    return User.objects.filter(email__iexact=email.strip()).exclude(language="").values_list(
        "language", flat=True).first() or translation.get_language()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_member(*, team: Team, email: str, role: str, invited_by: User) -> tuple[Invitation, str]:
    """Invite someone to a team by e-mail; returns the invitation and its one-time link.

    The e-mail leaves after the transaction commits, so a rolled-back invitation is
    never sent. Earlier unused invitations for the same address and team are withdrawn.
    """
    email = email.strip().lower()
    if role not in TeamMembership.Role.values:
        raise ValidationError({"role": gettext("%(role)s is not a team role.")
                                       % {"role": repr(role)}})
    if TeamMembership.objects.filter(team=team, user__email__iexact=email).exists():
        raise ValidationError({"email": gettext("%(email)s is already on the %(team)s team.")
                                        % {"email": email, "team": team}})
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    Invitation.objects.filter(team=team, email__iexact=email, accepted_at__isnull=True).delete()
    invitation = Invitation.objects.create(
        team=team, email=email, role=role, token_hash=_hash_token(token), invited_by=invited_by,
        created_at=now, expires_at=now + settings.INVITATION_MAX_AGE,
    )
    link = settings.SITE_URL + reverse("accept_invitation", args=[token])
    context = {"invitation": invitation, "link": link, "team": team, "inviter": invited_by}
    # In the language of the invitee's profile if they have an account, else the inviter's.
    with translation.override(reader_language(email)):
        subject = gettext("You are invited to the %(team)s team on CoIIN") % {"team": team}
        body = render_to_string("network/email/invitation.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    )
    return invitation, link


class InvitationError(Exception):
    """An invitation link that cannot be used; the message says why."""


def find_invitation(token: str) -> Invitation:
    """The invitation behind a link, if it can still be used; InvitationError otherwise."""
    invitation = (
        Invitation.objects.select_related("team__jurisdiction", "team__learning_network")
        .filter(token_hash=_hash_token(token)).first()
    )
    if invitation is None:
        raise InvitationError(
            gettext("This invitation link is not valid. Ask your team lead for a new one."))
    if invitation.is_used:
        raise InvitationError(gettext("This invitation has already been used. Sign in to reach "
                                      "your team."))
    if invitation.is_expired:
        raise InvitationError(
            gettext("This invitation has expired. Ask your team lead to send a new one.")
        )
    return invitation


def accept_invitation(*, token: str, user: User) -> TeamMembership:
    """Use an invitation: the signed-in person joins the team in the invited role, once."""
    with transaction.atomic():
        invitation = find_invitation(token)
        # Lock the row so two tabs cannot both use the same link.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.is_used:
            raise InvitationError(gettext("This invitation has already been used."))
        if invitation.email.lower() != user.email.lower():
            raise InvitationError(
                gettext("This invitation was sent to %(email)s; you are signed in as "
                        "%(signed_in_as)s. Sign out and open the link again.")
                % {"email": invitation.email, "signed_in_as": user.email}
            )
        membership, _created = TeamMembership.objects.get_or_create(
            team=invitation.team, user=user, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def pending_invitations(email: str) -> list[Invitation]:
    """The invitations to this address that can still be used (any team)."""
    return list(Invitation.objects.filter(
        email__iexact=email.strip(), accepted_at__isnull=True, expires_at__gt=timezone.now()))


def accept_invitations_by_email(*, user: User) -> list[TeamMembership]:
    """Use every open invitation to the person's address: their identity provider has
    proved the address is theirs, as the invitation's link would have."""
    memberships = []
    with transaction.atomic():
        for invitation in Invitation.objects.select_for_update().filter(
                pk__in=[i.pk for i in pending_invitations(user.email)]):
            membership, _created = TeamMembership.objects.get_or_create(
                team=invitation.team, user=user, defaults={"role": invitation.role})
            invitation.accepted_at = timezone.now()
            invitation.accepted_by = user
            invitation.save(update_fields=["accepted_at", "accepted_by"])
            memberships.append(membership)
    return memberships


def deactivate_person(*, user: User) -> User:
    """Close an account (SCIM, or the agency's directory): the person is signed out at their
    next request and their API tokens stop working; nothing they wrote is removed."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    return user


def reactivate_person(*, user: User) -> User:
    """Open a closed account again."""
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def create_invited_user(*, email: str, first_name: str, last_name: str, password: str) -> User:
    """The account for someone arriving by invitation (sign-up is otherwise closed)."""
    return User.objects.create_user(
        email=email, password=password, first_name=first_name, last_name=last_name
    )



def choose_language(*, user: User, language: str) -> User:
    """Keep the interface language a person chose; '' goes back to their browser's."""
    known = {code for code, _name in settings.LANGUAGES}
    if language and language not in known:
        raise ValidationError({"language": gettext("Unknown language %(language)s: choose one of "
                                                   "%(languages)s.")
                                           % {"language": repr(language),
                                              "languages": ', '.join(sorted(known))}})
    user.language = language
    user.save(update_fields=["language"])
    return user
