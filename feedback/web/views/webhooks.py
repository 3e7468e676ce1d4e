"""Delivery receipts from the providers. Each is verified, reduced to a status
(sent, delivered, failed) on the link, and otherwise forgotten: callback bodies
carry the recipient, so they are never stored or logged."""

import json
import logging

from flask import Blueprint, abort, current_app, request

from feedback.adapters.delivery import receipts
from feedback.usecases import sending
from feedback.web.db import get_db

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")
log = logging.getLogger(__name__)


def _record(results):
    sending.record_receipts(get_db(), results)
    return "", 204


def _refuse(provider):
    log.warning("refused a %s delivery receipt: unverified or malformed", provider)
    abort(403)


@bp.post("/twilio")
def twilio():
    config = current_app.config
    query = request.query_string.decode("ascii", errors="replace")
    url = config["TWILIO_STATUS_CALLBACK_URL"] + (f"?{query}" if query else "")
    form = request.form.to_dict()
    if not receipts.verify_twilio(config["TWILIO_AUTH_TOKEN"], url, form,
                                  request.headers.get("X-Twilio-Signature", "")):
        _refuse("Twilio")
    result = receipts.twilio_status({**form, "ref": request.args.get("ref")})
    if result is None:
        _refuse("Twilio")  # signed, but not a receipt for one of our messages
    return _record([result])


@bp.post("/sendgrid")
def sendgrid():
    payload = request.get_data()
    if not receipts.verify_sendgrid(
            current_app.config["SENDGRID_WEBHOOK_PUBLIC_KEY"], payload,
            request.headers.get("X-Twilio-Email-Event-Webhook-Signature", ""),
            request.headers.get("X-Twilio-Email-Event-Webhook-Timestamp", "")):
        _refuse("SendGrid")
    return _record(receipts.sendgrid_statuses(payload))


@bp.post("/notify")
def notify():
    if not receipts.verify_notify(current_app.config["NOTIFY_CALLBACK_TOKEN"],
                                  request.headers.get("Authorization")):
        _refuse("Notify")
    try:
        body = json.loads(request.get_data())
    except (RecursionError, UnicodeDecodeError, ValueError):
        body = None  # get_json(silent=True) lets a deeply nested body raise
    result = receipts.notify_status(body)
    if result is None:
        _refuse("Notify")  # authenticated, but malformed
    return _record([result])
