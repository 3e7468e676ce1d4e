"""Sending a link by text message or email, within each officer's hourly limit,
and the delivery receipts that come back.

The recipient is used to send and dropped: never stored, logged or returned.
"""

from datetime import datetime, timedelta

from feedback.adapters import delivery, store
from feedback.adapters.delivery import receipts
from feedback.domain.links import check_usable
from feedback.domain.recipients import parse_email, parse_uk_mobile
from feedback.usecases import auditing
from feedback.usecases.links import link_url

SEND_WINDOW = timedelta(hours=1)


class SendLimitReached(Exception):
    """The officer has sent as many messages in the last hour as allowed."""


class ChannelUnavailable(Exception):
    """No provider is set up for this channel (or only the console, in production)."""


def parse_recipient(channel, text, allow_international):
    """The number or address to send to, or InvalidRecipient saying what is wrong."""
    if channel == "sms":
        return parse_uk_mobile(text or "", allow_international)
    return parse_email(text or "")


def send_link(db, senders, link, officer_id, channel, recipient, settings, now,
              by=None):
    """Send the link, counted against the officer's limit, and note what went (the
    channel and time, never the recipient) and who sent it (by, an auditing.Actor).
    settings: keys, base_url, sender_name, signature (emails only), limit (messages
    an hour) and channels (those offered). Raises ChannelUnavailable, a LinkError
    if the link can no longer be used, SendLimitReached, or DeliveryError after
    handing the attempt back to the limit."""
    if channel not in settings["channels"]:
        raise ChannelUnavailable()
    check_usable(store.fetch_link(db, link["id"]), now)  # as stored now, not as read before
    reference = delivery.new_reference()
    if not store.reserve_send(db, reference, link["id"], officer_id, channel, now,
                              since=(now - SEND_WINDOW).isoformat(), limit=settings["limit"]):
        raise SendLimitReached()
    send = delivery.send_link_by_sms if channel == "sms" else delivery.send_link_by_email
    sender = senders.sms if channel == "sms" else senders.email
    signed = {} if channel == "sms" else {"signature": settings.get("signature", "")}
    try:
        send(sender, recipient, link_url(link, settings["keys"], settings["base_url"]),
             datetime.fromisoformat(link["expires_at"]).date(), settings["sender_name"],
             reference, **signed)
    except delivery.DeliveryError:
        store.release_send(db, reference)
        raise
    with db.atomic():
        store.record_delivery(db, reference, link["id"], channel)
        if by is not None:
            auditing.record_change(db, "link_sent", now, by, link["id"],
                                   {"channel": channel})


def record_receipts(db, results):
    """Keep each verified receipt's status on its link, if it moves the status on.
    results: (our reference, status or None) pairs."""
    for reference, status in results:
        link = store.fetch_delivery_link(db, reference)
        if link is None or status is None:
            continue  # an older message's receipt, or one not worth keeping
        kept = receipts.merge_status(link["delivery_status"], status)
        if kept != link["delivery_status"]:
            store.set_delivery_status(db, link["id"], reference, kept)
