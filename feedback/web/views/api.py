"""/api/v1: a case system makes, shows, sends, reads and cancels links through the
same use cases as the officer's pages. A key in `Authorization: Bearer`, no
cookies, so no CSRF; errors are RFC 9457 problem details.

A recipient lives only in the send request: never stored, logged or returned.
"""

import json
import logging
from pathlib import Path

import jsonschema
from flask import Blueprint, Response, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from feedback.adapters import delivery, qr
from feedback.adapters.ratelimit import RateLimited
from feedback.domain import categories
from feedback.domain.clock import now
from feedback.domain.links import LinkError
from feedback.domain.recipients import InvalidRecipient
from feedback.usecases import api_clients, auditing, idempotency, links, sending
from feedback.web import client_address, i18n, rate_limit, secret_keys, send_settings
from feedback.web.db import get_db
from feedback.web.errors import exception_headers, problem

bp = Blueprint("api", __name__, url_prefix="/api/v1")
log = logging.getLogger(__name__)
# The OpenAPI 3.1 description, written by hand. Request bodies are checked against
# its schemas here, and the tests check every response against it.
DESCRIPTION_FILE = Path(__file__).resolve().parent.parent / "openapi.json"

STATUS = {"not_opened": "open", "opened": "open", "completed": "completed",
          "expired": "expired", "revoked": "cancelled"}
NOT_USABLE = "The link has been used, cancelled or has expired."


class Problem(Exception):
    def __init__(self, status, detail, errors=None, headers=None):
        super().__init__(detail)
        self.status, self.detail, self.errors, self.headers = status, detail, errors, headers


def description():
    """The description as served: the file, listing the surveys, crime categories
    and languages this service offers. Read once per app."""
    if "api_description" not in current_app.extensions:
        served = json.loads(DESCRIPTION_FILE.read_text(encoding="utf-8"))
        offered = served["components"]["schemas"]["NewLink"]["properties"]
        offered["stage"]["enum"] = list(current_app.config["SURVEYS"])
        offered["crime_category"]["enum"] = [item.code for item in categories.CATEGORIES]
        offered["language"]["enum"] = list(i18n.LANGUAGES)
        current_app.extensions["api_description"] = served
    return current_app.extensions["api_description"]


@bp.get("/openapi.json")
def openapi():
    return jsonify(description())


@bp.before_request
def _authenticate():
    g.api_client = None
    if request.endpoint == "api.openapi":
        return
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    try:
        g.api_client = api_clients.authenticate(
            get_db(), key.strip() if scheme.lower() == "bearer" else "", now())
    except api_clients.KeyRefused:
        raise Problem(401, "Give a valid API key: Authorization: Bearer <key>.") from None
    rate_limit("api_client", key=f"api-client:{g.api_client['id']}")


@bp.after_request
def _audit(response):
    """Every call a key was accepted for, with its client, key and outcome."""
    client = g.get("api_client")
    if client:
        auditing.record_change(get_db(), "api_call", now(), _actor(), request.endpoint or "",
                               {"key": client["key"], "status": response.status_code})
    return response


def _actor():
    return auditing.Actor(address=client_address(), name=f"API client {g.api_client['name']}")


def _scope(scope):
    if scope not in g.api_client["scopes"]:
        raise Problem(403, f"This client's key does not have the {scope} scope.")


def _body(schema):
    """The JSON object sent, checked against the description's schema."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Problem(400, "Send a JSON object, with Content-Type: application/json.")
    served = description()
    # The whole description as the root, so that its "#/components/..." resolve.
    validator = jsonschema.Draft202012Validator(
        {**served, "$ref": f"#/components/schemas/{schema}"})
    known = served["components"]["schemas"][schema]["properties"]
    errors = {}
    for error in validator.iter_errors(body):
        # Never the value itself in the message: it may be a recipient.
        if error.validator == "required":
            for name in set(error.validator_value) - set(body):
                errors[name] = "This field is required."
        elif error.validator == "additionalProperties":
            for name in set(body) - set(known):
                errors[str(name)[:40]] = "This field is not known."
        else:
            errors[str(error.path[0]) if error.path else ""] = _MESSAGES.get(
                error.validator, "This value is not valid.")
    if errors:
        raise Problem(422, "Some fields are missing or wrong.", errors)
    return body


_MESSAGES = {"type": "This value has the wrong type.", "maxLength": "This value is too long.",
             "minimum": "This number is too small.", "maximum": "This number is too large.",
             "enum": "This value is not one of those allowed.",
             "const": "This must be true."}


def _link(link_id):
    try:
        return links.client_link(get_db(), g.api_client["id"], link_id)
    except links.LinkNotFound:
        raise Problem(404, "There is no such link among this client's links.") from None


def _resource(link):
    details = links.link_details(get_db(), link, secret_keys(), current_app.config["BASE_URL"],
                                 now())
    return {"id": link["id"], "status": STATUS[details["status"]], "stage": link["stage"],
            "crime_category": link["crime_category"], "team": link["team"],
            "language": link["language"], "created_at": link["created_at"],
            "expires_at": link["expires_at"], "delivery_status": link["delivery_status"],
            "sent": [{"channel": sent["channel"], "sent_at": sent["sent_at"].isoformat()}
                     for sent in details["sent"]]}


def _idempotent(operation, values, act):
    call = {"client_id": g.api_client["id"], "operation": operation,
            "key": request.headers.get("Idempotency-Key", ""),
            "fingerprint": idempotency.fingerprint(values)}
    if len(call["key"]) > 255 or not call["key"].isascii() or not call["key"].isprintable():
        raise Problem(400, "An Idempotency-Key is 1 to 255 printable ASCII characters.")
    try:
        return idempotency.once(get_db(), call, act, now())
    except idempotency.KeyReused:
        raise Problem(422, "This Idempotency-Key was used for a different request.") from None
    except idempotency.StillRunning:
        raise Problem(409, "The first call with this Idempotency-Key has not finished;"
                      " try again shortly.") from None


@bp.post("/links")
def create_link():
    _scope("create")
    body = _body("NewLink")
    choice = {"stage": body["stage"], "crime_category": body["crime_category"],
              "team": body.get("team", ""), "language": body.get("language", "en"),
              "expiry_days": body.get("expiry_days", current_app.config["LINK_DEFAULT_DAYS"])}
    options = {"stages": current_app.config["SURVEYS"], "languages": i18n.LANGUAGES}

    def act():
        try:
            link = links.create_link_for_officer(
                get_db(), body["officer"], choice, secret_keys(), now(), options,
                by=_actor(), client_id=g.api_client["id"])
        except links.InvalidChoice as invalid:
            raise Problem(422, "Some fields are wrong.", invalid.problems) from None
        return 201, {"link_id": link["id"]}

    status, kept = _idempotent("create", body, act)
    link = _link(kept["link_id"])
    return jsonify({**_resource(link), **_code(link)}), status, {
        "Location": f"{bp.url_prefix}/links/{link['id']}"}


def _code(link):
    return {"url": links.link_url(link, secret_keys(), current_app.config["BASE_URL"]),
            "code": links.typed_code(link, secret_keys())}


@bp.get("/links/<link_id>")
def read_link(link_id):
    _scope("status")
    return jsonify(_resource(_link(link_id)))


def _live(link_id):
    link = _link(link_id)
    if not links.is_live(link, now()):
        raise Problem(409, NOT_USABLE)
    return link


@bp.get("/links/<link_id>/code")
def code(link_id):
    _scope("create")
    return jsonify({**_code(_live(link_id)),
                    "address": links.code_address(current_app.config["BASE_URL"])})


@bp.get("/links/<link_id>/qr.<any(png, svg):kind>")
def qr_code(link_id, kind):
    _scope("create")
    url = links.link_url(_live(link_id), secret_keys(), current_app.config["BASE_URL"])
    if kind == "png":
        return Response(qr.png(url), mimetype="image/png")
    return Response(qr.svg(url), mimetype="image/svg+xml")


@bp.post("/links/<link_id>/send")
def send(link_id):
    _scope("send")
    link = _link(link_id)
    body = _body("Send")
    channel = body["channel"]

    def act():
        moment = now()  # the time kept with the message, and answered
        try:
            recipient = sending.parse_recipient(
                channel, body["recipient"], current_app.config["ALLOW_INTERNATIONAL_NUMBERS"])
            sending.send_link(get_db(), current_app.extensions["senders"], link,
                              link["officer_id"], channel, recipient, send_settings(),
                              moment, by=_actor())
        except InvalidRecipient as error:
            raise Problem(422, "The recipient is not valid.", {"recipient": str(error)}) from None
        except sending.ChannelUnavailable:
            raise Problem(422, "This channel is not available.",
                          {"channel": "Sending this way is not set up here."}) from None
        except LinkError:
            raise Problem(409, NOT_USABLE) from None
        except sending.SendLimitReached:
            # The hour is a sliding one: within an hour, one of its sends will have left it.
            raise Problem(429, "The officer has sent as many messages this hour as allowed."
                          " Show the QR code instead, or try later.",
                          headers={"Retry-After": str(int(sending.SEND_WINDOW.total_seconds()))}
                          ) from None
        except delivery.DeliveryError as error:
            log.warning("API send failed: %s", type(error).__name__)  # no recipient
            raise Problem(502, "The message could not be sent. Try again, or show the QR"
                          " code instead.") from None
        return 200, {"channel": channel, "sent_at": moment.isoformat()}

    # The recipient is left out of the fingerprint: nothing derived from it is kept.
    status, kept = _idempotent("send", {"link": link_id, "channel": channel}, act)
    return jsonify({"channel": kept["channel"], "sent_at": kept["sent_at"]}), status


@bp.post("/links/<link_id>/cancel")
def cancel(link_id):
    _scope("cancel")
    link = _live(link_id)
    if not links.revoke_link(get_db(), link["officer_id"], link_id, now(), by=_actor()):
        raise Problem(409, NOT_USABLE)
    return jsonify(_resource(_link(link_id)))


@bp.errorhandler(Problem)
def _problem(error):
    return problem(error.status, error.detail, error.errors, error.headers)


@bp.errorhandler(RateLimited)
def _rate_limited(error):
    return problem(429, "Too many calls from this client; try again later.",
                   headers={"Retry-After": str(error.retry_after)})


@bp.errorhandler(HTTPException)
def _http_error(error):
    return problem(error.code or 500, error.description or "", headers=exception_headers(error))
