"""The OpenAPI 3.1 description of /api/v1, written by hand. The API checks request
bodies against the schemas here, and the tests check every response against it
(tests/test_api_description.py runs Schemathesis on it), so it stays true."""

import copy

from feedback.categories import CATEGORIES
from feedback.i18n import LANGUAGES

LINK_ID = {"type": "string", "pattern": "^[A-Za-z0-9_-]{16}$", "example": "Qx3v9Kf0ZpLm2R8a"}
_TIME = {"type": "string", "format": "date-time"}
_PROBLEMS = {
    400: "The body is not a JSON object.",
    401: "No valid API key: missing, unknown, revoked or expired.",
    403: "The key's client lacks the scope this call needs.",
    404: "No such link among this client's links.",
    409: "The link can no longer be used, or the first call with this Idempotency-Key"
         " has not finished.",
    422: "A field is missing or wrong; errors name each one. Also: an Idempotency-Key"
         " reused with a different request.",
    429: "Too many calls from this client, or too many messages for the officer this"
         " hour. Retry-After says when to try again.",
    502: "The provider did not take the message. Nothing was sent; try again, or show"
         " the QR code.",
    503: "The service cannot reach its database just now. Retry-After says when to try"
         " again.",
}


def _problem(status):
    headers = ({"Retry-After": {"schema": {"type": "string"}}} if status in (429, 503) else
               {"WWW-Authenticate": {"schema": {"type": "string"}}} if status == 401 else {})
    return {"description": _PROBLEMS[status], "headers": headers,
            "content": {"application/problem+json": {
                "schema": {"$ref": "#/components/schemas/Problem"}}}}


def _json(schema, description):
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def _operation(summary, scope, ok, problems, body=None, idempotent=False):
    operation = {
        "summary": summary, "operationId": summary.lower().replace(" ", "_").replace("'", ""),
        "description": f"Needs the `{scope}` scope.",
        "security": [{"key": []}],
        "responses": {**ok, **{str(status): _problem(status)
                               for status in sorted({401, 403, 429, 503, *problems})},
                      "default": {"description": "Any other problem.", "content": {
                          "application/problem+json": {
                              "schema": {"$ref": "#/components/schemas/Problem"}}}}},
    }
    if body:
        operation["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{body}"}}}}
    if idempotent:
        operation["parameters"] = [{
            "name": "Idempotency-Key", "in": "header", "required": False,
            "description": "Any 1 to 255 printable characters. A retry with the same key"
                           " and request gets the first call's answer; nothing is made or"
                           " sent twice. Kept for 24 hours.",
            "schema": {"type": "string", "pattern": "^[!-~]{1,255}$"}}]
    return operation


_LINK_PATH = [{"name": "link_id", "in": "path", "required": True, "schema": LINK_ID}]

_LINK = {
    "type": "object", "additionalProperties": False,
    "required": ["id", "status", "stage", "crime_category", "team", "language",
                 "created_at", "expires_at", "sent", "delivery_status"],
    "description": "A link's state. Never anything about the answers.",
    "properties": {
        "id": LINK_ID,
        "status": {"enum": ["open", "completed", "expired", "cancelled"]},
        "stage": {"type": "string"}, "crime_category": {"type": "string"},
        "team": {"type": "string"}, "language": {"type": "string"},
        "created_at": _TIME, "expires_at": _TIME,
        "sent": {"type": "array", "items": {"$ref": "#/components/schemas/Sent"}},
        "delivery_status": {"type": ["string", "null"],
                            "description": "Of the latest message, from the provider's"
                                           " receipts."}}}

SCHEMAS = {
    "Problem": {
        "type": "object", "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string"}, "title": {"type": "string"},
            "status": {"type": "integer"}, "detail": {"type": "string"},
            "errors": {"type": "object", "additionalProperties": {"type": "string"},
                       "description": "Each field in error, and what is wrong with it."}}},
    "NewLink": {
        "type": "object", "additionalProperties": False,
        "required": ["officer", "stage", "crime_category"],
        "properties": {
            "officer": {"type": "string", "maxLength": 320,
                        "description": "Email address of the officer's account the link is"
                                       " for: the link is theirs, as if they had made it."},
            "stage": {"type": "string", "maxLength": 40,
                      "description": "The survey: at_report, during_investigation or"
                                     " at_outcome."},
            "crime_category": {"enum": [category.code for category in CATEGORIES]},
            "team": {"type": "string", "maxLength": 60,
                     "description": "A known team; the officer's own when left out."},
            "language": {"enum": list(LANGUAGES), "default": "en"},
            "expiry_days": {"type": "integer", "minimum": 1, "maximum": 90,
                            "description": "Days until the link expires; LINK_DEFAULT_DAYS"
                                           " when left out."}}},
    "Link": _LINK,
    "NewLinkMade": {
        **_LINK, "required": [*_LINK["required"], "url", "code"],
        "description": "The link made, with what the person needs to open it.",
        "properties": {**_LINK["properties"],
                       "url": {"type": "string", "description": "The link itself."},
                       "code": {"type": ["string", "null"],
                                "description": "To type instead of scanning."}}},
    "Code": {
        "type": "object", "additionalProperties": False, "required": ["url", "code", "address"],
        "properties": {
            "url": {"type": "string", "description": "The link itself."},
            "code": {"type": ["string", "null"], "description": "To type instead of scanning."},
            "address": {"type": "string", "description": "Where to type the code."}}},
    "Send": {
        "type": "object", "additionalProperties": False,
        "required": ["channel", "recipient", "safe_to_contact"],
        "properties": {
            "channel": {"enum": ["sms", "email"]},
            "recipient": {"type": "string", "maxLength": 320,
                          "description": "A UK mobile number or an email address: used to"
                                         " send, then dropped. Never stored or returned."},
            "safe_to_contact": {"const": True,
                                "description": "The officer has checked with the person"
                                               " that it is safe to contact them this way."
                                               " For domestic abuse, sexual offences and"
                                               " stalking, give the QR code in person."}}},
    "Sent": {
        "type": "object", "additionalProperties": False, "required": ["channel", "sent_at"],
        "properties": {"channel": {"enum": ["sms", "email"]}, "sent_at": _TIME}},
}

DESCRIPTION = {
    "openapi": "3.1.0",
    "info": {"title": "My Met Service links API", "version": "1.0.0",
             "description": "For a force's case system: make a feedback link for a case,"
                            " get its QR code and typed code, send it, read its status,"
                            " cancel it. Errors are RFC 9457 problem details."},
    "servers": [{"url": "/api/v1"}],
    "components": {
        "securitySchemes": {"key": {"type": "http", "scheme": "bearer",
                                    "description": "An API key from `flask api register`."}},
        "schemas": SCHEMAS},
    "paths": {
        "/links": {"post": _operation(
            "Create a link", "create", {"201": _json("NewLinkMade", "The link, made.")},
            [400, 422], body="NewLink", idempotent=True)},
        "/links/{link_id}": {"parameters": _LINK_PATH, "get": _operation(
            "Read a link's status", "status", {"200": _json("Link", "The link.")}, [404])},
        "/links/{link_id}/code": {"parameters": _LINK_PATH, "get": _operation(
            "Get a link's typed code", "create",
            {"200": _json("Code", "The link and its code.")}, [404, 409])},
        "/links/{link_id}/qr.png": {"parameters": _LINK_PATH, "get": _operation(
            "Get a link's QR code as PNG", "create", {"200": {
                "description": "The QR code.", "content": {"image/png": {}}}}, [404, 409])},
        "/links/{link_id}/qr.svg": {"parameters": _LINK_PATH, "get": _operation(
            "Get a link's QR code as SVG", "create", {"200": {
                "description": "The QR code.", "content": {"image/svg+xml": {}}}},
            [404, 409])},
        "/links/{link_id}/send": {"parameters": _LINK_PATH, "post": _operation(
            "Send a link", "send", {"200": _json("Sent", "The message went.")},
            [400, 404, 409, 422, 502], body="Send", idempotent=True)},
        "/links/{link_id}/cancel": {"parameters": _LINK_PATH, "post": _operation(
            "Cancel a link", "cancel", {"200": _json("Link", "The link, cancelled.")},
            [404, 409])},
    },
}


def described(stages):
    """The description as served: with the surveys this service offers."""
    served = copy.deepcopy(DESCRIPTION)
    served["components"]["schemas"]["NewLink"]["properties"]["stage"] = {
        "enum": list(stages), "description": "The survey: when the feedback is for."}
    return served
