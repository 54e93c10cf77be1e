"""SCIM 2.0 for the agency's identity provider: list and read accounts, and close them.

``/scim/v2/Users`` answers with a bearer token: ``SCIM_TOKEN`` from the environment, or a
SCIM token backbone staff made on their tokens page. Accounts come by invitation, so SCIM
never makes one; ``PATCH``/``PUT`` with ``active: false`` and ``DELETE`` close an account
(the person is signed out at their next request, their API tokens stop, nothing they wrote is
removed), and ``active: true`` opens it again.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from coiin import access
from coiin.network import services
from coiin.network.models import User

from . import tokens
from .models import PersonalAccessToken

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
CONTENT_TYPE = "application/scim+json"
FILTER = re.compile(r'^\s*(userName|emails\.value|emails)\s+eq\s+"([^"]*)"\s*$', re.IGNORECASE)
MAX_COUNT = 200


def _answer(body: dict[str, Any] | None, status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(body) if body is not None else b"", status=status,
                        content_type=CONTENT_TYPE)


def _error(status: int, detail: str, scim_type: str | None = None) -> HttpResponse:
    body: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return _answer(body, status)


def _authorised(request: HttpRequest) -> bool:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return False
    if settings.SCIM_TOKEN and secrets.compare_digest(
            hashlib.sha256(token.encode()).digest(),
            hashlib.sha256(settings.SCIM_TOKEN.encode()).digest()):
        return True
    owner = tokens.user_for_token(token, purpose=PersonalAccessToken.Purpose.SCIM)
    return owner is not None and access.is_backbone(owner)


def resource(request: HttpRequest, user: User) -> dict[str, Any]:
    """A person as a SCIM User."""
    return {
        "schemas": [USER_SCHEMA],
        "id": str(user.pk),
        "userName": user.email,
        "name": {"givenName": user.first_name, "familyName": user.last_name,
                 "formatted": user.get_full_name()},
        "displayName": user.display_name,
        "emails": [{"value": user.email, "type": "work", "primary": True}],
        "active": user.is_active,
        "meta": {"resourceType": "User", "created": user.date_joined.isoformat(),
                 "location": request.build_absolute_uri(f"/scim/v2/Users/{user.pk}")},
    }


def _int(request: HttpRequest, name: str, default: int) -> int:
    try:
        return max(int(request.GET.get(name, default)), 0)
    except ValueError:
        raise _Invalid(f"{name} must be a whole number, not {request.GET[name]!r}.") from None


class _Invalid(Exception):
    """A request SCIM cannot answer; the message says what is wrong and where."""

    def __init__(self, detail: str, scim_type: str = "invalidValue"):
        super().__init__(detail)
        self.scim_type = scim_type


def _users(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _error(403, "CoIIN accounts are made by invitation from a team lead or the "
                           "backbone staff, not by provisioning. Invite this person instead.")
    if request.method != "GET":
        return _error(405, f"{request.method} is not allowed on /scim/v2/Users.")
    people = User.objects.order_by("pk")
    raw_filter = request.GET.get("filter")
    if raw_filter:
        match = FILTER.match(raw_filter)
        if match is None:
            raise _Invalid(f'filter {raw_filter!r} is not supported: use userName eq "address".',
                           "invalidFilter")
        people = people.filter(Q(email__iexact=match.group(2)))
    start = max(_int(request, "startIndex", 1), 1)
    count = min(_int(request, "count", 100), MAX_COUNT)
    total = people.count()
    page = list(people[start - 1:start - 1 + count])
    return _answer({"schemas": [LIST_SCHEMA], "totalResults": total, "startIndex": start,
                    "itemsPerPage": len(page), "Resources": [resource(request, u) for u in page]})


def _active_from(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"  # some providers send the word
    raise _Invalid(f"{where}: active must be true or false, not {value!r}.")


def _patched_active(body: dict[str, Any]) -> bool | None:
    """What a PatchOp sets ``active`` to, if anything; other attributes are left as they are
    (names and addresses come from the person's invitation and profile here)."""
    if PATCH_SCHEMA not in body.get("schemas", []):
        raise _Invalid(f"A PATCH body needs schemas [{PATCH_SCHEMA!r}].", "invalidSyntax")
    active = None
    for number, op in enumerate(body.get("Operations") or [], start=1):
        where = f"Operations[{number}]"
        if not isinstance(op, dict) or str(op.get("op", "")).lower() not in {"replace", "add"}:
            raise _Invalid(f"{where}: only replace and add are supported.", "invalidSyntax")
        path, value = op.get("path"), op.get("value")
        if path is not None and str(path).lower() == "active":
            active = _active_from(value, where)
        elif path is None and isinstance(value, dict) and "active" in value:
            active = _active_from(value["active"], where)
    return active


def _user(request: HttpRequest, pk: str) -> HttpResponse:
    user = User.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
    if user is None:
        return _error(404, f"No user {pk}.")
    if request.method == "GET":
        return _answer(resource(request, user))
    if request.method == "DELETE":
        services.deactivate_person(user=user)
        return _answer(None, 204)
    if request.method in {"PATCH", "PUT"}:
        try:
            body = json.loads(request.body or b"{}")
        except ValueError as exc:
            raise _Invalid(f"The body is not JSON: {exc}.", "invalidSyntax") from None
        if not isinstance(body, dict):
            raise _Invalid("The body must be a JSON object.", "invalidSyntax")
        if request.method == "PATCH":
            active = _patched_active(body)
        else:
            active = _active_from(body["active"], "active") if "active" in body else None
        if active is False:
            services.deactivate_person(user=user)
        elif active is True:
            services.reactivate_person(user=user)
        return _answer(resource(request, user))
    return _error(405, f"{request.method} is not allowed on a user.")


def _guarded(view: Any) -> Any:
    @csrf_exempt
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _authorised(request):
            response = _error(401, "Send a SCIM bearer token: Authorization: Bearer <token>.")
            response["WWW-Authenticate"] = 'Bearer realm="scim"'
            return response
        try:
            return view(request, *args, **kwargs)
        except _Invalid as exc:
            return _error(400, str(exc), exc.scim_type)

    return wrapped


users = _guarded(_users)
user_detail = _guarded(_user)


@_guarded
def service_provider_config(request: HttpRequest) -> HttpResponse:
    return _answer({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "patch": {"supported": True}, "bulk": {"supported": False, "maxOperations": 0,
                                               "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_COUNT},
        "changePassword": {"supported": False}, "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [{"type": "oauthbearertoken", "name": "Bearer token",
                                   "description": "SCIM_TOKEN, or a SCIM token made by "
                                                  "backbone staff"}],
    })
