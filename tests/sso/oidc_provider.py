"""A small OpenID Connect provider for the tests, run in a thread on 127.0.0.1.

Authlib's authorisation server does the protocol (authorisation code with PKCE, ID tokens
signed with RS256, refresh tokens, client authentication); this module holds its few
records in memory and serves it with the standard library's WSGI server. The provider has
its own sign-in form, so a browser goes through it as through an agency's sign-in page.
Its accounts can be disabled, as an agency's directory would: a disabled account can no
longer sign in or refresh its tokens, and its access tokens stop working.
"""

from __future__ import annotations

import html
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qsl, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from authlib.oauth2 import AuthorizationServer, OAuth2Error
from authlib.oauth2.rfc6749 import ClientMixin, OAuth2Request, grants
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import RSAKey

CLIENT_ID = "coiin-test"
CLIENT_SECRET = "provider-test-secret"


@dataclass
class Person:
    sub: str
    email: str
    given_name: str = ""
    family_name: str = ""
    email_verified: bool = True
    active: bool = True


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_prefix: str = ""

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_prefix

    def get_allowed_scope(self, scope: str) -> str:
        allowed = {"openid", "profile", "email", "offline_access"}
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return bool(self.redirect_prefix) and redirect_uri.startswith(self.redirect_prefix)

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in {"client_secret_post", "client_secret_basic"}

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in {"authorization_code", "refresh_token"}


@dataclass
class Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: Person
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


@dataclass
class Refresh:
    client_id: str
    scope: str
    user: Person
    revoked: bool = False

    def check_client(self, client: Client) -> bool:
        return client.client_id == self.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return 86_400

    def is_expired(self) -> bool:
        return False

    def is_revoked(self) -> bool:
        return self.revoked


class Request(OAuth2Request):
    def __init__(self, method: str, uri: str, headers: dict[str, str], query: dict[str, str],
                 form: dict[str, str]):
        super().__init__(method, uri, headers=headers)
        self._args, self._form = query, form
        self.payload = BasicOAuth2Payload({**query, **form})

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class _CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def save_authorization_code(self, code: str, request: Any) -> None:
        data = request.payload.data
        self.server.idp.codes[code] = Code(
            code=code, client_id=request.client.client_id,
            redirect_uri=data.get("redirect_uri", ""), scope=data.get("scope", ""),
            user=request.user, nonce=data.get("nonce"),
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"))

    def query_authorization_code(self, code: str, client: Client) -> Code | None:
        found = self.server.idp.codes.get(code)
        return found if found and found.client_id == client.client_id else None

    def delete_authorization_code(self, authorization_code: Code) -> None:
        self.server.idp.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: Code) -> Person | None:
        user = authorization_code.user
        return user if user.active else None


class _RefreshGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> Refresh | None:
        found = self.server.idp.refresh.get(refresh_token)
        # A disabled account's refresh token is refused: invalid_grant.
        if found is None or found.revoked or not found.user.active:
            return None
        return found

    def authenticate_user(self, refresh_token: Refresh) -> Person | None:
        return refresh_token.user

    def revoke_old_credential(self, refresh_token: Refresh) -> None:
        refresh_token.revoked = True


class _OpenIDCode(OpenIDCode):
    def __init__(self, idp: LocalOIDCProvider):
        super().__init__(require_nonce=False)
        self.idp = idp

    def exists_nonce(self, nonce: str, request: Any) -> bool:
        return False

    def resolve_client_private_key(self, client: Client) -> RSAKey:
        return self.idp.key

    def get_client_algorithm(self, client: Client) -> str:
        return "RS256"

    def get_client_claims(self, client: Client) -> dict[str, Any]:
        return {"iss": self.idp.issuer, "aud": [client.client_id]}

    def get_encode_header(self, client: Client) -> dict[str, str]:
        return {"alg": "RS256", "kid": self.idp.key.kid}

    def generate_user_info(self, user: Person, scope: str) -> UserInfo:
        return self.idp.user_info(user)


class _Server(AuthorizationServer):
    def __init__(self, idp: LocalOIDCProvider):
        super().__init__(scopes_supported=["openid", "profile", "email", "offline_access"])
        self.idp = idp

    def query_client(self, client_id: str) -> Client | None:
        return self.idp.client if client_id == self.idp.client.client_id else None

    def save_token(self, token: dict[str, Any], request: Any) -> None:
        self.idp.access[token["access_token"]] = request.user
        if token.get("refresh_token"):
            self.idp.refresh[token["refresh_token"]] = Refresh(
                client_id=request.client.client_id, scope=token.get("scope", ""),
                user=request.user)

    def create_oauth2_request(self, request: Request) -> Request:
        return request

    def handle_response(self, status: int, body: Any, headers: Any) -> tuple[int, Any, Any]:
        return status, body, headers

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        pass


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class LocalOIDCProvider:
    """Start with ``start()``; ``issuer`` is then its address, ``stop()`` ends it."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig",
                                                         "alg": "RS256"})
        self.people: dict[str, Person] = {}
        self.codes: dict[str, Code] = {}
        self.refresh: dict[str, Refresh] = {}
        self.access: dict[str, Person] = {}
        self.client = Client(CLIENT_ID, CLIENT_SECRET)
        self.server = _Server(self)
        self.server.register_token_generator("default", BearerTokenGenerator(
            access_token_generator=lambda *a, **k: secrets.token_urlsafe(24),
            refresh_token_generator=lambda *a, **k: secrets.token_urlsafe(24)))
        self.server.register_grant(_CodeGrant, [_OpenIDCode(self), CodeChallenge(required=True)])
        self.server.register_grant(_RefreshGrant)
        self.issuer = ""
        self._httpd: Any = None

    # -- the directory ------------------------------------------------------------------------

    def add_person(self, email: str, *, given_name: str = "", family_name: str = "",
                   email_verified: bool = True) -> Person:
        person = Person(sub=f"sub-{len(self.people) + 1}", email=email, given_name=given_name,
                        family_name=family_name, email_verified=email_verified)
        self.people[email.lower()] = person
        return person

    def disable(self, email: str) -> None:
        self.people[email.lower()].active = False

    def user_info(self, person: Person) -> UserInfo:
        return UserInfo(sub=person.sub, email=person.email,
                        email_verified=person.email_verified, given_name=person.given_name,
                        family_name=person.family_name)

    # -- serving ------------------------------------------------------------------------------

    def start(self, redirect_prefix: str) -> LocalOIDCProvider:
        # It serves plain HTTP on the loopback address, which authlib refuses otherwise.
        os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
        self.client.redirect_prefix = redirect_prefix
        self._httpd = make_server("127.0.0.1", 0, self._app, server_class=_ThreadingServer,
                                  handler_class=_Quiet)
        self.issuer = f"http://127.0.0.1:{self._httpd.server_port}"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "token_endpoint_auth_methods_supported": ["client_secret_post",
                                                      "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
        }

    def _app(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        form: dict[str, str] = {}
        if method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            form = dict(parse_qsl(environ["wsgi.input"].read(length).decode()))
        headers = {key[5:].replace("_", "-").title(): value
                   for key, value in environ.items() if key.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        uri = f"{self.issuer}{path}" + (f"?{environ['QUERY_STRING']}"
                                        if environ.get("QUERY_STRING") else "")
        request = Request(method, uri, headers, query, form)
        status, body, out_headers = self._route(method, path, request)
        if isinstance(body, dict):
            body = json.dumps(body)
            out_headers = [*out_headers, ("Content-Type", "application/json")]
        start_response(f"{status} {_REASONS.get(status, 'OK')}", list(out_headers))
        return [body.encode() if isinstance(body, str) else body]

    def _route(self, method: str, path: str, request: Request) -> tuple[int, Any, Any]:
        if path == "/.well-known/openid-configuration":
            return 200, self.discovery(), []
        if path == "/jwks":
            return 200, {"keys": [self.key.as_dict(private=False)]}, []
        if path == "/token" and method == "POST":
            return self.server.create_token_response(request)
        if path == "/userinfo":
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            person = self.access.get(token) if scheme.lower() == "bearer" else None
            if person is None or not person.active:
                return 401, {"error": "invalid_token"}, []
            return 200, dict(self.user_info(person)), []
        if path == "/authorize":
            return self._authorize(method, request)
        return 404, {"error": "not_found"}, []

    def _authorize(self, method: str, request: Request) -> tuple[int, Any, Any]:
        try:
            grant = self.server.get_consent_grant(request)
        except OAuth2Error as exc:
            return 400, {"error": exc.error, "error_description": exc.description}, []
        problem = ""
        if method == "POST":
            person = self.people.get(request.form.get("login", "").strip().lower())
            if person is not None and person.active:
                return self.server.create_authorization_response(request, grant_user=person,
                                                                 grant=grant)
            problem = "No such account, or it is disabled."
        page = _PAGE.format(query=html.escape(urlencode(request.args)),
                            problem=html.escape(problem))
        return 200, page, [("Content-Type", "text/html; charset=utf-8")]


_REASONS = {200: "OK", 302: "Found", 400: "Bad Request", 401: "Unauthorized",
            404: "Not Found"}
_PAGE = """<!doctype html><html><head><title>Agency sign-in</title></head><body>
<h1>Agency sign-in</h1><p role="alert">{problem}</p>
<form method="post" action="/authorize?{query}">
<label for="login">Agency e-mail</label> <input id="login" name="login" type="email">
<button type="submit">Sign in at the agency</button></form></body></html>"""
