"""Officers send a link by text message or email.

The recipient's number or address lives only in this request: it is validated,
handed to the provider and dropped. Never stored, logged, flashed or echoed.
"""

import logging
from datetime import datetime, timedelta

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, url_for

from feedback import categories, delivery, store
from feedback.db import get_db
from feedback.forms import SendForm
from feedback.links import LinkError, check_usable
from feedback.recipients import InvalidRecipient, parse_email, parse_uk_mobile
from feedback.web import audit, link_url, now, own_link, role_required

bp = Blueprint("send", __name__, url_prefix="/officer/links")
log = logging.getLogger(__name__)

CHANNELS = {
    "sms": {"name": "text message", "label": "Mobile phone number",
            "hint": "A UK mobile number, like 07700 900 982"},
    "email": {"name": "email", "label": "Email address",
              "hint": "Check it is an address only the person reads"},
}


@bp.route("/<link_id>/send/<any(sms, email):channel>", methods=["GET", "POST"])
@role_required("officer")
def send(link_id, channel):
    link = own_link(link_id)
    if channel not in current_app.config["SEND_CHANNELS"]:
        abort(404)
    form = SendForm()
    form.recipient.label.text = CHANNELS[channel]["label"]
    page = {"link": link, "form": form, "channel": channel, **CHANNELS[channel],
            "category": categories.get(link["crime_category"])}
    try:
        check_usable(link, now())
    except LinkError:
        return _problem(page, 409, "This link has been used, cancelled or has expired, so "
                        "it cannot be sent. Create a new link instead.")
    if not form.is_submitted():
        return render_template("send/send.html", **page)
    valid = form.validate()  # every problem is shown at once, the recipient's too
    try:
        recipient = _parse(channel, form.recipient.data)
    except InvalidRecipient as error:
        form.recipient.errors = [*form.recipient.errors, str(error)]
        valid = False
    if not valid:
        return render_template("send/send.html", **page), 400
    reference = delivery.new_reference()
    if not _reserve(reference, link, channel):
        limit = current_app.config["SEND_LIMIT_PER_HOUR"]
        return _problem(page, 429, f"You have sent {limit} messages in the last hour, which "
                        "is the limit. You can send more later, or show the QR code instead.")
    try:
        _deliver(channel, recipient, link, reference)
    except delivery.DeliveryError as error:
        store.release_send(get_db(), reference)
        log.warning("send by officer %s failed: %s", g.user["id"], error)  # no recipient
        return _problem(page, 502, f"The {page['name']} could not be sent. "
                        "You can try again or show the QR code instead.")
    store.record_delivery(get_db(), reference, link["id"], channel)
    audit("link_sent", subject=link["id"], detail={"channel": channel})  # never the recipient
    flash(f"{CHANNELS[channel]['name'].capitalize()} sent. Its delivery status will show "
          "on this page.")
    return redirect(url_for("officer.link", link_id=link["id"]), 303)


def _problem(page, status, message):
    """The send page with a problem that is not about one field."""
    return render_template("send/send.html", problem=message, **page), status


def _parse(channel, text):
    if channel == "sms":
        return parse_uk_mobile(text or "", current_app.config["ALLOW_INTERNATIONAL_NUMBERS"])
    return parse_email(text or "")


def _reserve(reference, link, channel):
    moment = now()
    return store.reserve_send(
        get_db(), reference, link["id"], g.user["id"], channel, moment,
        since=(moment - timedelta(hours=1)).isoformat(),
        limit=current_app.config["SEND_LIMIT_PER_HOUR"])


def _deliver(channel, recipient, link, reference):
    senders = current_app.extensions["senders"]
    expires_on = datetime.fromisoformat(link["expires_at"]).date()
    send_link = (delivery.send_link_by_sms if channel == "sms"
                 else delivery.send_link_by_email)
    sender = senders.sms if channel == "sms" else senders.email
    send_link(sender, recipient, link_url(link), expires_on,
              current_app.config["SENDER_NAME"], reference)
