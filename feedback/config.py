"""Configuration, read from the environment once. See README for every variable."""

import ipaddress
import json
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from feedback.domain import accounts, clock


class ConfigError(Exception):
    pass


def _int(env, name, default, low, high):
    raw = env.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _rate(env, name, default):
    """"COUNT/MINUTES": at most COUNT in any MINUTES, e.g. "30/15"."""
    raw = env.get(name, "") or default
    count, _, minutes = raw.partition("/")
    try:
        count, minutes = int(count), int(minutes)
    except ValueError:
        raise ConfigError(f"{name} must be a count and minutes like 30/15, got {raw!r}") from None
    if not (1 <= count <= 100_000 and 1 <= minutes <= 1440):
        raise ConfigError(f"{name} must be 1 to 100000 per 1 to 1440 minutes, got {raw!r}")
    return (count, minutes * 60)


def _rate_limits(env):
    return {
        "TRUSTED_PROXIES": _int(env, "TRUSTED_PROXIES", 0, 0, 5),
        "RATE_LIMIT_SIGN_IN_ADDRESS": _rate(env, "RATE_LIMIT_SIGN_IN_ADDRESS", "30/15"),
        "RATE_LIMIT_SIGN_IN_ACCOUNT": _rate(env, "RATE_LIMIT_SIGN_IN_ACCOUNT", "20/15"),
        "RATE_LIMIT_LINK_OPEN": _rate(env, "RATE_LIMIT_LINK_OPEN", "60/10"),
        "RATE_LIMIT_SURVEY_POST": _rate(env, "RATE_LIMIT_SURVEY_POST", "30/10"),
        "RATE_LIMIT_SURVEY_CODE": _rate(env, "RATE_LIMIT_SURVEY_CODE", "10/60"),
        "RATE_LIMIT_API_CLIENT": _rate(env, "RATE_LIMIT_API_CLIENT", "300/5"),
        "PASSWORD_HASH_CONCURRENCY": _int(env, "PASSWORD_HASH_CONCURRENCY", 2, 1, 32),
    }


def _list(env, name, default=(), sep=","):
    raw = env.get(name, "")
    return [item.strip() for item in raw.split(sep) if item.strip()] if raw else list(default)


def _dev_secret(instance_path):
    # Generated once and kept, so development sessions and links survive restarts.
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


# Delivery settings, passed as they are to feedback.adapters.delivery.build_senders,
# which knows their defaults and which are needed for each backend.
DELIVERY_SETTINGS = (
    "EMAIL_BACKEND", "SMS_BACKEND", "DELIVERY_TIMEOUT_SECONDS",
    "SENDGRID_API_KEY", "SENDGRID_FROM_EMAIL", "SENDGRID_BASE_URL",
    "SENDGRID_WEBHOOK_PUBLIC_KEY",
    "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER",
    "TWILIO_MESSAGING_SERVICE_SID", "TWILIO_BASE_URL",
    "NOTIFY_API_KEY", "NOTIFY_BASE_URL", "NOTIFY_EMAIL_TEMPLATE_ID", "NOTIFY_SMS_TEMPLATE_ID",
    "NOTIFY_CALLBACK_TOKEN",
)


def _delivery(env, base_url):
    settings = {name: env.get(name, "") for name in DELIVERY_SETTINGS}
    # Neutral by default: a text or email seen by someone else must not say it came
    # from the police (README, "Sending links").
    settings["SENDER_NAME"] = env.get("SENDER_NAME", "")
    settings["EMAIL_SIGNATURE"] = env.get("EMAIL_SIGNATURE", "")
    settings["TWILIO_STATUS_CALLBACK_URL"] = (
        env.get("TWILIO_STATUS_CALLBACK_URL") or f"{base_url}/webhooks/twilio")
    settings["SEND_LIMIT_PER_HOUR"] = _int(env, "SEND_LIMIT_PER_HOUR", 30, 1, 1000)
    settings["ALLOW_INTERNATIONAL_NUMBERS"] = env.get("ALLOW_INTERNATIONAL_NUMBERS") == "1"
    return settings


def _secrets(env, production, instance_path):
    secret = env.get("SECRET_KEY", "").strip()
    fallbacks = _list(env, "SECRET_KEY_FALLBACKS")
    if not secret:
        if production:
            raise ConfigError("SECRET_KEY is not set. Set it to a long random value "
                              "(python -c 'import secrets; print(secrets.token_urlsafe(48))').")
        secret = _dev_secret(instance_path)
    if production and any(len(key) < 32 for key in [secret, *fallbacks]):
        raise ConfigError("SECRET_KEY and every SECRET_KEY_FALLBACKS key must be at least "
                          "32 characters in production")
    return secret, fallbacks


def _development_url(env):
    """Where `make run` serves (HOST and PORT), for links and QR codes in development.
    0.0.0.0 (every interface) is no address a phone can open: 127.0.0.1 stands in,
    and README says to set BASE_URL to the machine's own address then."""
    host = env.get("HOST", "") or "127.0.0.1"
    host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 (compared, not bound)
    port = env.get("PORT", "") or "5000"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"PORT must be a port number, got {port!r}")
    return f"http://{host}:{port}"


def _url(env, name, default, production):
    """An absolute http(s) address; https only in production."""
    url = env.get(name, default).strip().rstrip("/")
    if not url:
        raise ConfigError(f"{name} is not set: a full address, "
                          "like https://feedback.example.police.uk")
    parts = urlsplit(url)
    schemes = ("https",) if production else ("https", "http")
    if parts.scheme not in schemes or not parts.hostname:
        raise ConfigError(f"{name} must be a full {' or '.join(schemes)} address, got {url!r}")
    return url


def _database_url(env):
    url = env.get("DATABASE_URL", "")
    if url and not url.startswith(("postgresql://", "postgres://")):
        raise ConfigError("DATABASE_URL must be a postgresql:// address;"
                          " leave it unset and set DATABASE_PATH to use SQLite")
    return url


def _log_level(env):
    level = env.get("LOG_LEVEL", "INFO").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ConfigError(
            f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {level!r}")
    return level


def _keeps_first(env):
    value = env.get("RELEASE_KEEPS_FIRST", "place").strip().lower()
    if value not in ("place", "crime", "time"):
        raise ConfigError(f"RELEASE_KEEPS_FIRST must be place, crime or time, got {value!r}")
    return value


def _pinned_clock(env, app_env):
    """CLOCK_PINNED_AT stops the clock at one moment: for tests and their servers
    (APP_ENV=test) and for development, never in production."""
    raw = env.get("CLOCK_PINNED_AT", "").strip()
    if not raw:
        return None
    if app_env == "production":
        raise ConfigError("CLOCK_PINNED_AT is only for tests and development: unset it "
                          "in production")
    try:
        return clock.parse_moment(raw)
    except ValueError:
        raise ConfigError("CLOCK_PINNED_AT must be an ISO 8601 moment with its offset, "
                          f"like 2027-01-01T00:05:00+00:00, got {raw!r}") from None


def _second_factor(env, app_env):
    """required: every local account signs in with a code from an authenticator app
    too. optional (development's default, and for tests): an account that has not
    set one up signs in with its password alone. Production always requires it."""
    value = env.get("SECOND_FACTOR", "").strip().lower() or (
        "optional" if app_env == "development" else "required")
    if value not in ("required", "optional"):
        raise ConfigError(f"SECOND_FACTOR must be required or optional, got {value!r}")
    if value == "optional" and app_env == "production":
        raise ConfigError("SECOND_FACTOR=optional is only for development and tests:"
                          " unset it in production")
    return value


def _issuer(env, production):
    """The provider's issuer: https, or plain http only on this machine (a test or
    development provider on 127.0.0.1)."""
    issuer = env.get("OIDC_ISSUER", "").strip().rstrip("/")
    if not issuer:
        return ""
    host = urlsplit(issuer).hostname or ""
    return _url(env, "OIDC_ISSUER", "",
                production and not (host == "localhost" or _is_loopback(host)))


def _is_loopback(host):
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _group_roles(env):
    """SSO_GROUP_ROLES: a JSON object of group (as the roles claim carries it) to
    role, e.g. {"a1b2...": "officer", "Feedback Trainers": "trainer"}."""
    raw = env.get("SSO_GROUP_ROLES", "").strip()
    if not raw:
        return {}
    try:
        mapping = json.loads(raw)
    except ValueError:
        mapping = None
    if not isinstance(mapping, dict) or not all(
            isinstance(group, str) and role in accounts.ROLES for group, role in mapping.items()):
        raise ConfigError("SSO_GROUP_ROLES must be a JSON object of group to role"
                          " (officer, trainer or admin), like {\"Team A\": \"officer\"}")
    return mapping


def _sso(env, production):
    """Single sign-on through the force's OpenID Connect provider; no OIDC_ISSUER
    means none, and only the service's own passwords."""
    issuer = _issuer(env, production)
    settings = {
        "OIDC_ISSUER": issuer,
        "OIDC_CLIENT_ID": env.get("OIDC_CLIENT_ID", "").strip(),
        "OIDC_CLIENT_SECRET": env.get("OIDC_CLIENT_SECRET", "").strip(),
        "OIDC_ROLES_CLAIM": env.get("OIDC_ROLES_CLAIM", "").strip() or "roles",
        "OIDC_TEAM_CLAIM": env.get("OIDC_TEAM_CLAIM", "").strip(),
        "OIDC_TIMEOUT_SECONDS": _int(env, "OIDC_TIMEOUT_SECONDS", 10, 1, 60),
        "SSO_GROUP_ROLES": _group_roles(env),
        "SSO_ONLY": env.get("SSO_ONLY") == "1",
    }
    if issuer and not (settings["OIDC_CLIENT_ID"] and settings["OIDC_CLIENT_SECRET"]):
        raise ConfigError("OIDC_ISSUER is set: set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too,"
                          " as the provider registered this service")
    if settings["SSO_ONLY"] and not issuer:
        raise ConfigError("SSO_ONLY=1 needs a provider: set OIDC_ISSUER, OIDC_CLIENT_ID and"
                          " OIDC_CLIENT_SECRET, or nobody could sign in")
    return settings


def from_environment(instance_path, env=None):
    env = os.environ if env is None else env
    app_env = env.get("APP_ENV", "production")
    if app_env not in ("production", "development", "test"):
        raise ConfigError(f"APP_ENV must be production, development or test, got {app_env!r}")
    # test is production in every respect but one: the clock can be pinned.
    production = app_env in ("production", "test")
    secret, fallbacks = _secrets(env, production, instance_path)
    base_url = _url(env, "BASE_URL", "" if production else _development_url(env), production)
    return {
        "APP_ENV": app_env,
        "CLOCK_PINNED_AT": _pinned_clock(env, app_env),
        "SECRET_KEY": secret,
        "SECRET_KEY_FALLBACKS": fallbacks,
        "BASE_URL": base_url,
        "DATABASE_PATH": env.get("DATABASE_PATH") or str(Path(instance_path) / "feedback.sqlite3"),
        # postgresql://... selects PostgreSQL; unset keeps the SQLite file above.
        "DATABASE_URL": _database_url(env),
        # Connections each process keeps for PostgreSQL: one per gunicorn thread
        # and a spare for downloads that stream after their request.
        "DATABASE_POOL_SIZE": _int(env, "DATABASE_POOL_SIZE", 5, 1, 100),
        "DATABASE_TIMEOUT_SECONDS": _int(env, "DATABASE_TIMEOUT_SECONDS", 10, 1, 120),
        # Rate-limit counters and staff sessions shared by every instance; unset
        # keeps them in the database.
        "REDIS_URL": env.get("REDIS_URL", ""),
        "REDIS_KEY_PREFIX": env.get("REDIS_KEY_PREFIX", "feedback:"),
        "SESSION_COOKIE_SECURE": production or env.get("SESSION_COOKIE_SECURE") == "1",
        "SESSION_IDLE_MINUTES": _int(env, "SESSION_IDLE_MINUTES", 30, 5, 240),
        "SESSION_ABSOLUTE_HOURS": _int(env, "SESSION_ABSOLUTE_HOURS", 10, 1, 24),
        "SURVEY_SESSION_IDLE_MINUTES": _int(env, "SURVEY_SESSION_IDLE_MINUTES", 60, 5, 240),
        "SURVEY_SESSION_ABSOLUTE_HOURS": _int(env, "SURVEY_SESSION_ABSOLUTE_HOURS", 2, 1, 24),
        "HSTS_INCLUDE_SUBDOMAINS": env.get("HSTS_INCLUDE_SUBDOMAINS") == "1",
        "SECOND_FACTOR": _second_factor(env, app_env),
        "LOCKOUT_THRESHOLD": _int(env, "LOCKOUT_THRESHOLD", 10, 3, 100),
        "LOCKOUT_MINUTES": _int(env, "LOCKOUT_MINUTES", 15, 1, 1440),
        "LINK_DEFAULT_DAYS": _int(env, "LINK_DEFAULT_DAYS", 28, 1, 90),
        "FREE_TEXT_MAX_LENGTH": _int(env, "FREE_TEXT_MAX_LENGTH", 500, 50, 2000),
        "CRIME_REFERENCE_PATTERNS": _list(env, "CRIME_REFERENCE_PATTERNS", sep=";;"),
        # Another site, so plain http is allowed; javascript: and the like are not.
        "EXIT_URL": _url(env, "EXIT_URL", "https://www.bbc.co.uk/weather", production=False),
        "COMPLAINTS_URL": _url(
            env, "COMPLAINTS_URL",
            "https://www.policeconduct.gov.uk/complaints-reviews-and-appeals/make-complaint",
            production=False),
        # What trainers see: no figure on fewer than MIN_GROUP_SIZE responses, export
        # groups of at least that many (k) with MIN_DISTINCT_RATINGS overall ratings (l).
        "MIN_GROUP_SIZE": _int(env, "MIN_GROUP_SIZE", 10, 5, 1000),
        "MIN_DISTINCT_RATINGS": _int(env, "MIN_DISTINCT_RATINGS", 2, 1, 5),
        "EXPORT_MAX_WITHHELD_PERCENT": _int(env, "EXPORT_MAX_WITHHELD_PERCENT", 5, 0, 50),
        # Which detail each month's release keeps first when it must coarsen: place
        # (team, then borough), crime (category, then group) or time (weeks).
        "RELEASE_KEEPS_FIRST": _keeps_first(env),
        # Different views (pages of figures or comments, files) one account may open
        # in a day: each view is a snapshot, and comparing many is how figures are
        # differenced.
        "TRAINER_DAILY_VIEWS": _int(env, "TRAINER_DAILY_VIEWS", 200, 1, 100_000),
        "RETENTION_LINK_DAYS": _int(env, "RETENTION_LINK_DAYS", 180, 1, 3650),
        "RETENTION_RESPONSE_DAYS": _int(env, "RETENTION_RESPONSE_DAYS", 730, 30, 3650),
        "RETENTION_AUDIT_DAYS": _int(env, "RETENTION_AUDIT_DAYS", 365, 30, 3650),
        "INVITATION_HOURS": _int(env, "INVITATION_HOURS", 72, 1, 336),
        "LOG_LEVEL": _log_level(env),
        **_rate_limits(env),
        **_delivery(env, base_url),
        **_sso(env, production),
    }
