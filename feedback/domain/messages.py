"""The words of the SMS and email that carry a feedback link.

Someone else may read a victim's phone or inbox, so every message is neutral:
no crime details, no name, nothing saying who the sender is beyond the sender
name and signature the force configures (none by default: a message signed by the
police reads as "the police contacted you"). Pure functions; no I/O.

SMS length: one GSM-7 segment (160 septets) holds the whole message when the
inputs stay within the limits below, so the link never arrives split across
two texts (some phones then break or drop the link). tests/domain/test_messages.py
checks this with the real wording at every limit.
"""

import html
import re

MAX_BASE_URL = 30  # scheme included: "https://feedback.example.gov.uk" is already 31
MAX_SENDER_NAME = 20
TOKEN_LENGTH_MAX = 70  # URL-safe base64 and dots, from feedback.domain.links
LINK_PATH = "/r/"

SMS_SEGMENT = 160
EMAIL_SUBJECT = "Tell us about a recent contact"

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)

# GSM 03.38 default alphabet (escape 0x1B left out: it is not a character).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Sent as escape + character, so each costs two septets.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

_SAFE_URL = re.compile(r"^https?://[^\s<>\"'\\]+$")


def format_date(day):
    """12 December 2026, the GOV.UK style, independent of the server's locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_date_short(day):
    """12 Dec 2026: three-letter months keep the SMS inside one segment."""
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def sms_text(url, expires_on, sender_name):
    """The whole SMS. The link ends with a space or the message, never punctuation,
    so phones do not fold a full stop into the address."""
    _check_url(url)
    date = format_date_short(expires_on)
    sender = _one_line(sender_name)
    if sender:
        return f"{sender}: tell us how we did {url} by {date}"
    return f"Tell us how we did {url} by {date}"


def email_message(url, expires_on, sender_name, signature=""):
    """Return (subject, plain text, html) for the link email: "<sender> would like
    to hear ..." (or "We would"), signed with signature (or just "Thank you")."""
    _check_url(url)
    date = format_date(expires_on)
    sender = _one_line(sender_name)
    who = f"{sender} would" if sender else "We would"
    signature = _one_line(signature)
    sign_off = f"Thank you,\n{signature}" if signature else "Thank you"
    text = (
        "Hello,\n\n"
        f"{who} like to hear how we did when you were last in contact with us.\n\n"
        "It takes about 2 minutes. You do not need to give your name.\n\n"
        f"Answer a few short questions:\n{url}\n\n"
        f"This link works until {date}.\n\n"
        f"{sign_off}\n"
    )
    return EMAIL_SUBJECT, text, _email_html(url, date, who, sign_off)


def _email_html(url, date, who, sign_off):
    # No images, fonts, stylesheets or tracking: nothing that calls out to a
    # server when the email is opened, and nothing that looks like a campaign.
    e = html.escape
    signed = "<br>".join(e(line) for line in sign_off.split("\n"))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(EMAIL_SUBJECT)}</title>\n</head>\n"
        '<body style="font-family: Arial, sans-serif; font-size: 19px; line-height: 1.5;">\n'
        "<p>Hello,</p>\n"
        f"<p>{e(who)} like to hear how we did when you were last in contact with us.</p>\n"
        "<p>It takes about 2 minutes. You do not need to give your name.</p>\n"
        f'<p><a href="{e(url)}">Answer a few short questions</a></p>\n'
        "<p>If the link does not work, copy this address into your browser:<br>\n"
        f"{e(url)}</p>\n"
        f"<p>This link works until {e(date)}.</p>\n"
        f"<p>{signed}</p>\n"
        "</body>\n</html>\n"
    )


def is_gsm7(text):
    return all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text)


def gsm7_length(text):
    """Septets needed for text; ValueError if it is not GSM-7 (see is_gsm7)."""
    if not is_gsm7(text):
        raise ValueError("text has characters outside the GSM-7 alphabet")
    return sum(_gsm7_costs(text))


def sms_segments(text):
    """How many texts the message is billed and delivered as.

    GSM-7: 160 septets in one, else 153 per part. Anything else goes as UCS-2:
    70 UTF-16 units in one, else 67 per part. An escape pair or a surrogate pair
    is never split across parts, which can add a part over the simple division.
    """
    if is_gsm7(text):
        costs, single, part = _gsm7_costs(text), 160, 153
    else:
        costs, single, part = [len(c.encode("utf-16-le")) // 2 for c in text], 70, 67
    if sum(costs) <= single:
        return 1
    parts, used = 1, 0
    for cost in costs:
        if used + cost > part:
            parts, used = parts + 1, 0
        used += cost
    return parts


def sms_limit_problems(base_url="", sender_name=""):
    """Configuration problems that could push the SMS past one segment, as
    sentences for a start-up error. Empty when the settings are safe."""
    problems = []
    if len(base_url) > MAX_BASE_URL:
        problems.append(f"BASE_URL must be at most {MAX_BASE_URL} characters")
    if not is_gsm7(base_url):
        problems.append("BASE_URL must only use plain letters, digits and punctuation")
    if len(sender_name) > MAX_SENDER_NAME:
        problems.append(f"SENDER_NAME must be at most {MAX_SENDER_NAME} characters")
    if not is_gsm7(sender_name) or any(c in GSM7_EXTENSION for c in sender_name):
        problems.append("SENDER_NAME must only use plain letters, digits and punctuation")
    return problems


def _gsm7_costs(text):
    return [2 if c in GSM7_EXTENSION else 1 for c in text]


def _check_url(url):
    # The link is built by us; refusing anything odd keeps a bad BASE_URL from
    # putting a javascript: link or a broken address in front of a victim.
    if not isinstance(url, str) or not _SAFE_URL.match(url):
        raise ValueError("url must be an http(s) address without spaces or quotes")


def _one_line(value):
    return " ".join((value or "").split())
