"""Officers send a link by text message or email.

The recipient's number or address lives only in this request: it is validated,
handed to the provider and dropped. Never stored, logged, flashed or echoed.
"""

import logging

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, url_for

from feedback.adapters import delivery
from feedback.domain import categories
from feedback.domain.clock import now
from feedback.domain.links import LinkError
from feedback.domain.recipients import InvalidRecipient
from feedback.usecases import links, sending
from feedback.web import actor, own_link, role_required, send_settings
from feedback.web.db import get_db
from feedback.web.forms import SendForm

bp = Blueprint("send", __name__, url_prefix="/officer/links")
log = logging.getLogger(__name__)

CHANNELS = {
    "sms": {"name": "text message", "label": "Mobile phone number",
            "hint": "A UK mobile number, like 07700 900 982"},
    "email": {"name": "email", "label": "Email address",
              "hint": "Check it is an address only the person reads"},
}

_NOT_USABLE = ("This link has been used, cancelled or has expired, so it cannot be sent. "
               "Create a new link instead.")


@bp.route("/<link_id>/send/<any(sms, email):channel>", methods=["GET", "POST"])
@role_required("officer")
def send(link_id, channel):
    link = own_link(link_id)
    config = current_app.config
    if channel not in config["SEND_CHANNELS"]:
        abort(404)
    form = SendForm()
    form.recipient.label.text = CHANNELS[channel]["label"]
    page = {"link": link, "form": form, "channel": channel, **CHANNELS[channel],
            "category": categories.get(link["crime_category"])}
    # Said before the form is filled in; sending.send_link refuses it anyway.
    if not links.is_live(link, now()):
        return _problem(page, 409, _NOT_USABLE)
    if not form.is_submitted():
        return render_template("send/send.html", **page)
    valid = form.validate()  # every problem is shown at once, the recipient's too
    try:
        recipient = sending.parse_recipient(channel, form.recipient.data,
                                            config["ALLOW_INTERNATIONAL_NUMBERS"])
    except InvalidRecipient as error:
        form.recipient.errors = [*form.recipient.errors, str(error)]
        valid = False
    if not valid:
        return render_template("send/send.html", **page), 400
    settings = send_settings()
    try:
        sending.send_link(get_db(), current_app.extensions["senders"], link, g.user["id"],
                          channel, recipient, settings, now(), by=actor())
    except LinkError:  # used or cancelled while the form was being filled in
        return _problem(page, 409, _NOT_USABLE)
    except sending.SendLimitReached:
        return _problem(page, 429, f"You have sent {settings['limit']} messages in the last "
                        "hour, which is the limit. You can send more later, or show the QR "
                        "code instead.")
    except delivery.DeliveryError as error:
        log.warning("send by officer %s failed: %s", g.user["id"], error)  # no recipient
        return _problem(page, 502, f"The {page['name']} could not be sent. "
                        "You can try again or show the QR code instead.")
    flash(f"{CHANNELS[channel]['name'].capitalize()} sent. Its delivery status will show "
          "on this page.")
    return redirect(url_for("officer.link", link_id=link["id"]), 303)


def _problem(page, status, message):
    """The send page with a problem that is not about one field."""
    return render_template("send/send.html", problem=message, **page), status
