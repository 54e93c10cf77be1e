"""The one settings module, configured by environment variables.

Production defaults are the safe ones (DEBUG off, no default secret, no hosts). The
development default is switched on by ``COIIN_DEV=1``, which the README's start command
and the test suite set: a throwaway secret, DEBUG on, localhost only, SQLite under var/.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("COIIN_HOME", Path.cwd()))
VAR_DIR = PROJECT_DIR / "var"


def env_str(name: str, default: str | None = None) -> str:
    """A required string setting, or its default; a clear error when neither is there."""
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(
            f"Set the environment variable {name} (or COIIN_DEV=1 for the development defaults)."
        )
    return value


def env_bool(name: str, default: bool) -> bool:
    """A yes/no setting: 1/true/yes/on or 0/false/no/off (any case)."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, object]:
    """Django DATABASES entry from ``sqlite:///path`` or ``postgres://user:pw@host:port/db``."""
    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query))
    if parts.scheme == "sqlite":
        # sqlite:///relative/to/project.db, sqlite:////absolute.db, sqlite:///:memory:
        path = unquote(parts.path)[1:]
        if path != ":memory:":
            if not Path(path).is_absolute():
                path = str(PROJECT_DIR / path)
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            # WAL lets pages read while a background import writes.
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20,
                        "init_command": "PRAGMA journal_mode=WAL;"},
        }
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with sqlite:/// or postgres://, not {parts.scheme!r}."
    )


# Under pytest the development defaults apply unless COIIN_DEV says otherwise.
DEV = env_bool("COIIN_DEV", "pytest" in sys.modules)
DEBUG = env_bool("DEBUG", DEV)
# The development secret is public on purpose; production must set its own.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-secret-key-change-me" if DEV else None)  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEV else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'coiin.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    # Translated model fields (the measure catalog, the change packages): before the admin,
    # so the admin's forms know the per-language fields.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    # Single sign-on with an agency's identity provider; each is off until configured below.
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "axes",
    "csp",
    "simple_history",
    "django_tasks",
    "django_tasks_db",  # its table exists whichever backend runs, so switching needs no migrate
    "coiin.network",
    "coiin.vitals",
    "coiin.measures",
    "coiin.charts",
    "coiin.interchange",  # FHIR and DHIS2; registers its formats with the measures app
    "coiin.api",
    "coiin.reports",
    "coiin.improvement",
    "coiin.community",
    "coiin.storyboards",
    "coiin.demo",  # the demo generators may import every app above, so it comes last
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the switcher's cookie, else the browser's Accept-Language (en or es).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication: a deactivated account (SCIM, backbone staff) or one its identity
    # provider no longer accepts is signed out at its next request.
    "coiin.network.middleware.SignOutRevokedAccounts",
    # A signed-in person's own language (on their account) wins over the browser's.
    "coiin.network.middleware.PersonLanguage",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coiin.urls"
WSGI_APPLICATION = "coiin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coiin.network.context_processors.navigation",
                "coiin.community.context_processors.community",
            ],
        },
    },
]

# People
AUTH_USER_MODEL = "network.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first, so a locked-out login stops here
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# Everyone lands on their own work after signing in (a ?next= address wins).
LOGIN_REDIRECT_URL = "my_work"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_ADAPTER = "coiin.network.adapters.AccountAdapter"
# Throttling of failed sign-ins is django-axes' job; allauth's own limit on it is off so
# there is one lockout rule and one message. Its other limits (reset mails, ...) stay.
ACCOUNT_RATE_LIMITS = {"login_failed": False}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "CoIIN"

# Single sign-on (OIDC and SAML through allauth's providers), each on when its variables are
# set; local passwords keep working beside them for people without an identity provider.
# Nobody signs up through an identity provider: a sign-in is matched by its verified e-mail
# address to an existing person, or to a pending invitation (coiin.network.adapters).
SOCIALACCOUNT_ADAPTER = "coiin.network.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True  # a verified address finds its existing person ...
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True  # ... and links the two for next time
SOCIALACCOUNT_AUTO_SIGNUP = True  # an invited person's account is made without a form
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # verified by the identity provider, or refused
SOCIALACCOUNT_STORE_TOKENS = True  # the refresh token re-checks the account with its provider
SOCIALACCOUNT_LOGIN_ON_GET = False  # the button posts, so no other site can start a sign-in
SOCIALACCOUNT_ONLY = False


def _email_domains(name: str) -> bool | list[str] | None:
    """Which addresses the identity provider vouches for even without an
    ``email_verified`` claim: ``*`` for all (the agency's own directory), a comma-separated
    list of domains, or unset to trust only the claim."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if raw == "*":
        return True
    return [d.strip().lower().lstrip("@") for d in raw.split(",") if d.strip()]


def _sso_providers() -> dict[str, dict[str, object]]:
    providers: dict[str, dict[str, object]] = {}
    if os.environ.get("OIDC_SERVER_URL"):
        oidc_settings: dict[str, object] = {"server_url": os.environ["OIDC_SERVER_URL"]}
        if (domains := _email_domains("OIDC_VERIFIED_EMAIL_DOMAINS")) is not None:
            oidc_settings["verified_email"] = domains
        # offline_access asks for the refresh token that re-checks the account later.
        oidc_settings["scope"] = env_list("OIDC_SCOPES",
                                          ["openid", "profile", "email", "offline_access"])
        providers["openid_connect"] = {"OAUTH_PKCE_ENABLED": True, "APPS": [{
            "provider_id": env_str("OIDC_PROVIDER_ID", "agency"),
            "name": env_str("OIDC_NAME", "your agency's sign-in"),
            "client_id": env_str("OIDC_CLIENT_ID"),
            "secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
            "settings": oidc_settings,
        }]}
    if os.environ.get("SAML_IDP_ENTITY_ID"):
        idp: dict[str, object] = {"entity_id": os.environ["SAML_IDP_ENTITY_ID"]}
        if os.environ.get("SAML_IDP_METADATA_URL"):
            idp["metadata_url"] = os.environ["SAML_IDP_METADATA_URL"]
        else:
            idp["sso_url"] = env_str("SAML_IDP_SSO_URL")
            idp["x509cert"] = env_str("SAML_IDP_X509CERT")
            if os.environ.get("SAML_IDP_SLO_URL"):
                idp["slo_url"] = os.environ["SAML_IDP_SLO_URL"]
        org = env_str("SAML_ORGANIZATION", "agency")
        saml_settings: dict[str, object] = {
            "idp": idp,
            "sp": {"entity_id": env_str(
                "SAML_SP_ENTITY_ID", f"{SITE_URL}/accounts/saml/{org}/metadata/")},
            "attribute_mapping": {
                "uid": env_list("SAML_ATTRIBUTE_UID", [
                    "urn:oasis:names:tc:SAML:attribute:subject-id",
                    "http://schemas.microsoft.com/identity/claims/objectidentifier"]),
                "email": env_list("SAML_ATTRIBUTE_EMAIL", [
                    "urn:oid:0.9.2342.19200300.100.1.3",
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
                    "email"]),
                "email_verified": env_list("SAML_ATTRIBUTE_EMAIL_VERIFIED", ["email_verified"]),
                "first_name": env_list("SAML_ATTRIBUTE_FIRST_NAME", [
                    "urn:oid:2.5.4.42",
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"]),
                "last_name": env_list("SAML_ATTRIBUTE_LAST_NAME", [
                    "urn:oid:2.5.4.4",
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname"]),
            },
            "use_nameid_for_email": env_bool("SAML_NAMEID_IS_EMAIL", False),
            "advanced": {"want_assertion_signed": True, "strict": True,
                         "reject_idp_initiated_sso": True},
        }
        if (domains := _email_domains("SAML_VERIFIED_EMAIL_DOMAINS")) is not None:
            saml_settings["verified_email"] = domains
        providers["saml"] = {"APPS": [{
            "provider_id": org, "client_id": org,
            "name": env_str("SAML_NAME", "your agency's sign-in"),
            "settings": saml_settings,
        }]}
    return providers


SOCIALACCOUNT_PROVIDERS = _sso_providers()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _sso_origins() -> list[str]:
    """Where the sign-in buttons send the browser on to (the policy's form-action)."""
    return sorted({o for o in (
        _origin(os.environ.get("OIDC_SERVER_URL", "")),
        _origin(os.environ.get("SAML_IDP_SSO_URL", "")),
        *env_list("SSO_EXTRA_ORIGINS", []),  # an authorisation page on another host
    ) if o})


SSO_ORIGINS = _sso_origins()
# How often a session that began at an OIDC provider is checked with it again (a refresh
# token grant): an account the provider disabled is signed out at its next request after
# that. 0 checks at every request (costly); the session also ends if the check is refused.
SSO_RECHECK_MINUTES = env_int("SSO_RECHECK_MINUTES", 15)
# SCIM 2.0 (/scim/v2/Users): a bearer token the identity provider's provisioning uses, beside
# any tokens backbone staff make on their tokens page. Unset: only those.
SCIM_TOKEN = os.environ.get("SCIM_TOKEN", "")

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
# Failures per account from all addresses together within the cool-off time before its
# sign-in is refused (coiin.network.adapters). Above AXES_FAILURE_LIMIT, so that one address,
# locked out after that many, can never lock the account for its owner.
ACCOUNT_FAILURE_CAP = env_int("ACCOUNT_FAILURE_CAP", 4 * AXES_FAILURE_LIMIT)
if ACCOUNT_FAILURE_CAP <= AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured("ACCOUNT_FAILURE_CAP must be more than AXES_FAILURE_LIMIT, or one "
                               "address could lock an account out")
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "coiin.network.adapters.axes_username"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

INVITATION_MAX_AGE = timedelta(days=env_int("INVITATION_MAX_AGE_DAYS", 14))

# Reporting: data are due this many days after a period ends, and can still be entered
# for the grace days after that; backbone staff can grant longer.
REPORTING_DUE_DAYS = env_int("REPORTING_DUE_DAYS", 30)
REPORTING_GRACE_DAYS = env_int("REPORTING_GRACE_DAYS", 14)
# Team data leads get a reminder this many days before data are due (coiin send_reminders).
REPORTING_REMINDER_DAYS = env_int("REPORTING_REMINDER_DAYS", 7)
# Uploads with more rows than this import in the background, with a progress page.
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 5000)

# Background work (large imports, reports made on request or on a schedule). "immediate"
# runs each task inline once the request's transaction commits (the embedded default, and
# the tests);
# "database" queues it in the database for `coiin db_worker` (run one per machine).
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
COIIN_TASKS = env_str("COIIN_TASKS", "immediate").strip().lower()
if COIIN_TASKS not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"COIIN_TASKS must be one of {', '.join(TASK_BACKENDS)}, not {COIIN_TASKS!r}.")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[COIIN_TASKS], "QUEUES": ["default"]}}

# The online community.
COMMUNITY_MAX_POST_CHARS = env_int("COMMUNITY_MAX_POST_CHARS", 20_000)
COMMUNITY_MAX_UPLOAD_MB = env_int("COMMUNITY_MAX_UPLOAD_MB", 10)
COMMUNITY_UPLOAD_TYPES = env_list(
    "COMMUNITY_UPLOAD_TYPES", ["pdf", "png", "jpeg", "gif", "docx", "xlsx", "pptx", "ole", "csv"])
COMMUNITY_DIGEST_CAP = env_int("COMMUNITY_DIGEST_CAP", 10)
# "" means the DEFAULT_FROM_EMAIL address takes one-click unsubscribe mail.
COMMUNITY_UNSUBSCRIBE_MAILTO = os.environ.get("COMMUNITY_UNSUBSCRIBE_MAILTO", "")
FILE_UPLOAD_PERMISSIONS = 0o640

# The public site: counts from 1 to this minus one are suppressed; rates on fewer events
# than PUBLIC_UNRELIABLE_BELOW are flagged unreliable.
PUBLIC_SUPPRESSION_THRESHOLD = env_int("COIIN_PUBLIC_SUPPRESSION_THRESHOLD", 10)
PUBLIC_UNRELIABLE_BELOW = env_int("COIIN_PUBLIC_UNRELIABLE_BELOW", 20)

# E-mail: the console by default, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "CoIIN <no-reply@coiin.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers. HTTPS settings follow DEBUG: on in production, off on a laptop.
SECURE = env_bool("SECURE", not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
# HSTS: a year by default behind HTTPS (browsers then refuse plain HTTP to this host); set
# SECURE_HSTS_SECONDS=0 to turn it off, e.g. while trying HTTPS out.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        # The sign-in buttons post here and are sent on to the identity provider, which
        # browsers check against form-action too.
        "form-action": ["'self'", *SSO_ORIGINS],
    },
}

LANGUAGE_CODE = "en-us"
# English and Spanish (as written for Puerto Rico where usage differs). Dates and numbers
# follow the language in prose, but data tables and downloads keep ISO dates and a decimal
# point, so a figure copied out of them reads the same in any locale.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The measure catalog and the change packages keep a column per language (name_en, name_es);
# English is the default, and a text missing in the reader's language is shown in the other
# one, marked as such on the page (coiin.web's |translated filter).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "es")
FORMAT_MODULE_PATH = ["coiin.formats"]  # es: a decimal point, as Puerto Rico writes it
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In development WhiteNoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
