"""My Met Service: anonymous feedback from victims of crime."""

from pathlib import Path

from flask import Flask, request
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect

from feedback import config
from feedback.adapters import delivery, ratelimit
from feedback.domain import clock, messages, surveys
from feedback.domain.privacy import anonymise

csrf = CSRFProtect()
babel = Babel()


def create_app(overrides=None):
    app = Flask(__name__, instance_relative_config=True,
                template_folder="../templates", static_folder="../static")
    app.config.update(config.from_environment(app.instance_path))
    app.config.update(overrides or {})
    if app.config["CLOCK_PINNED_AT"]:
        clock.pin(app.config["CLOCK_PINNED_AT"])
    _configure(app)
    # The web layer is imported here, not at the top: importing the package (for the
    # domain alone, as a script or the themes model does) must not load the whole app.
    from feedback.web import logsafety
    from feedback.web.i18n import select_locale
    logsafety.install(app.config["LOG_LEVEL"])

    from feedback.web.db import prepare_database
    # Refuses a damaged or unreachable database (DatabaseFault).
    app.extensions["database_created"] = prepare_database(app.config)

    from feedback import web
    from feedback.web import edge, errors, sessions

    _install_redis(app)
    sessions.install(app)  # first: its hook refuses a session that could not be read
    csrf.init_app(app)
    _check_csrf_first_by_method(app)
    babel.init_app(app, locale_selector=select_locale)

    from feedback.web.db import get_db
    from feedback.web.views import (
        admin,
        api,
        api_clients,
        auth,
        health,
        invitation,
        officer,
        respond,
        second_factor,
        send,
        sso,
        trainer,
        webhooks,
    )

    _install_limits(app, get_db)
    _install_sso(app)
    blueprints = (admin, api, api_clients, auth, health, invitation, officer, respond,
                  second_factor, send, sso, trainer, webhooks)
    for blueprint in (module.bp for module in blueprints):
        app.register_blueprint(blueprint)
    csrf.exempt(webhooks.bp)  # providers sign their callbacks instead
    csrf.exempt(api.bp)  # a key in each call's Authorization header, no cookies
    errors.register(app)
    web.register(app)
    edge.wrap(app)

    from feedback import cli
    cli.register(app)
    return app


def _check_csrf_first_by_method(app):
    # Flask-WTF's own hook works out whether the view is exempt before it looks at
    # the method, a handful of look-ups through Flask's proxies on every page view.
    # Only WTF_CSRF_METHODS are checked at all, so this hook, in the same place
    # among the hooks, looks at the method first and then runs Flask-WTF's own
    # check, exemptions included (its documented WTF_CSRF_CHECK_DEFAULT = False).
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    config = app.config

    @app.before_request
    def csrf_protect():
        if request.method in config["WTF_CSRF_METHODS"] and config["WTF_CSRF_ENABLED"]:
            csrf.protect(apply_exemptions=True)


def _install_sso(app):
    # The provider's client, when one is set; its discovery document and keys are
    # fetched at the first sign-in, so the service starts while the provider is down.
    from feedback.adapters.oidc import Provider
    if app.config["OIDC_ISSUER"]:
        app.extensions["oidc"] = Provider(
            app.config["OIDC_ISSUER"], app.config["OIDC_CLIENT_ID"],
            app.config["OIDC_CLIENT_SECRET"], app.config["OIDC_TIMEOUT_SECONDS"])


def _install_redis(app):
    # One client (and connection pool) per app for counters, sessions and /healthz;
    # None keeps all of them in the database.
    url = app.config["REDIS_URL"]
    app.extensions["redis"] = ratelimit.open_redis(url) if url else None


def _install_limits(app, get_db):
    client = app.extensions["redis"]
    counters = (ratelimit.RedisCounters(client, app.config["REDIS_KEY_PREFIX"]) if client
                else ratelimit.DatabaseCounters(get_db))
    app.extensions["limiter"] = ratelimit.Limiter(
        counters, rate_limit_rules(app.config), app.config["SECRET_KEY"])
    app.extensions["hash_gate"] = ratelimit.HashGate(app.config["PASSWORD_HASH_CONCURRENCY"])


def rate_limit_rules(config):
    rule = ratelimit.Rule
    return {
        # Sign-in refuses when the counters cannot be reached; a victim's page
        # goes on without them (feedback.adapters.ratelimit).
        "sign_in_address": rule(*config["RATE_LIMIT_SIGN_IN_ADDRESS"]),
        "sign_in_account": rule(*config["RATE_LIMIT_SIGN_IN_ACCOUNT"]),
        # Fewer than the lockout threshold in any lockout period, so no one client
        # can lock an account by guessing (see feedback.adapters.ratelimit on windows).
        "sign_in_client_account": rule(config["LOCKOUT_THRESHOLD"] - 1,
                                       config["LOCKOUT_MINUTES"] * 60),
        "link_open": rule(*config["RATE_LIMIT_LINK_OPEN"], fail_open=True),
        "survey_post": rule(*config["RATE_LIMIT_SURVEY_POST"], fail_open=True),
        "survey_code": rule(*config["RATE_LIMIT_SURVEY_CODE"], fail_open=True),
        # Every call of one API client, whichever key it uses.
        "api_client": rule(*config["RATE_LIMIT_API_CLIENT"], fail_open=True),
    }


def _configure(app):
    # Everything derived from configuration is built once, here, so a broken
    # survey file or regex stops start-up with a message instead of a 500 later.
    app.config.setdefault("SURVEY_DEFINITIONS", Path(app.root_path) / "survey_definitions")
    app.config["SURVEYS"] = surveys.load_surveys(
        app.config["SURVEY_DEFINITIONS"], app.config["FREE_TEXT_MAX_LENGTH"])
    app.extensions["senders"] = delivery.build_senders(app.config)
    # The console backend only logs the message (link included). Useful when
    # developing; in production it would tell officers a message went when none did.
    development = app.config["APP_ENV"] == "development"
    app.config["SEND_CHANNELS"] = {
        channel for channel, backend in (("sms", "SMS_BACKEND"), ("email", "EMAIL_BACKEND"))
        if development or (app.config[backend] or "console") != "console"}
    if app.config["SMS_BACKEND"] not in ("", "console"):
        problems = messages.sms_limit_problems(base_url=app.config["BASE_URL"])
        if problems:
            raise delivery.DeliveryConfigError("; ".join(problems))
    app.config["REDACTION"] = anonymise.compile_patterns(
        app.config["CRIME_REFERENCE_PATTERNS"] or anonymise.DEFAULT_CRIME_REFERENCE_PATTERNS)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the server-side session
        MAX_CONTENT_LENGTH=64 * 1024,
        BABEL_DEFAULT_LOCALE="en",
    )
