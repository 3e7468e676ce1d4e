"""Email and SMS senders, chosen by settings.

    senders = build_senders(app.config)          # at start-up; no network calls
    sent = send_link_by_sms(senders.sms, to, url, expires_on, sender_name, new_reference())

Senders take plain values and never touch Flask. Every provider failure is a
DeliveryError that names no recipient, so a view can show it and offer the QR code.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from feedback.adapters.delivery.base import (
    DeliveryConfigError,
    DeliveryError,
    Sent,
    new_reference,
)
from feedback.adapters.delivery.console import ConsoleEmailSender, ConsoleSmsSender
from feedback.adapters.delivery.notify import API_KEY_PATTERN, NotifyEmailSender, NotifySmsSender
from feedback.adapters.delivery.sendgrid_email import SendGridEmailSender
from feedback.adapters.delivery.twilio_sms import TwilioSmsSender
from feedback.domain.messages import email_message, sms_limit_problems, sms_text
from feedback.domain.recipients import InvalidRecipient, parse_email

__all__ = [
    "DeliveryConfigError", "DeliveryError", "Sent", "Senders", "build_senders",
    "new_reference", "send_link_by_email", "send_link_by_sms",
]

DEFAULTS = {
    "EMAIL_BACKEND": "console",
    "SMS_BACKEND": "console",
    "DELIVERY_TIMEOUT_SECONDS": 5,
    "SENDGRID_BASE_URL": "https://api.sendgrid.com",
    "TWILIO_BASE_URL": "https://api.twilio.com",
    "NOTIFY_BASE_URL": "https://api.notifications.service.gov.uk",
}
MAX_TIMEOUT_SECONDS = 60
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Senders:
    email: object
    sms: object


def build_senders(settings):
    """Senders for EMAIL_BACKEND and SMS_BACKEND, or DeliveryConfigError naming
    the missing settings, so the app stops at start-up rather than at first send."""
    config = _Settings(settings)
    problems = sms_limit_problems(sender_name=config["SENDER_NAME"])
    if problems:
        raise DeliveryConfigError("; ".join(problems))
    timeout = config.timeout()
    return Senders(email=_email_sender(config, timeout), sms=_sms_sender(config, timeout))


# Every sender gets the rendered text and, for Notify's templates, the link and
# expiry too; callers need not know which backend is configured.
def send_link_by_email(sender, to, url, expires_on, sender_name, reference, signature=""):
    subject, text, html = email_message(url, expires_on, sender_name, signature)
    return sender.send(to, subject, text, html, reference, link=url, expires_on=expires_on)


def send_link_by_sms(sender, to, url, expires_on, sender_name, reference):
    text = sms_text(url, expires_on, sender_name)
    return sender.send(to, text, reference, link=url, expires_on=expires_on)


def _email_sender(config, timeout):
    backend = config.choice("EMAIL_BACKEND", ("console", "sendgrid", "notify"))
    if backend == "sendgrid":
        config.require("EMAIL_BACKEND=sendgrid", "SENDGRID_API_KEY", "SENDGRID_FROM_EMAIL")
        try:
            from_email = parse_email(config["SENDGRID_FROM_EMAIL"])
        except InvalidRecipient:
            raise DeliveryConfigError("SENDGRID_FROM_EMAIL is not an email address") from None
        return SendGridEmailSender(
            api_key=config["SENDGRID_API_KEY"],
            from_email=from_email,
            from_name=config["SENDER_NAME"],
            base_url=config.base_url("SENDGRID_BASE_URL"),
            timeout=timeout,
        )
    if backend == "notify":
        return NotifyEmailSender(**_notify_args(config, "EMAIL", timeout))
    return ConsoleEmailSender()


def _sms_sender(config, timeout):
    backend = config.choice("SMS_BACKEND", ("console", "twilio", "notify"))
    if backend == "twilio":
        config.require(
            "SMS_BACKEND=twilio", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN",
            ("TWILIO_FROM_NUMBER", "TWILIO_MESSAGING_SERVICE_SID"),
        )
        return TwilioSmsSender(
            account_sid=config["TWILIO_ACCOUNT_SID"],
            auth_token=config["TWILIO_AUTH_TOKEN"],
            timeout=timeout,
            base_url=config.base_url("TWILIO_BASE_URL"),
            from_number=config["TWILIO_FROM_NUMBER"],
            messaging_service_sid=config["TWILIO_MESSAGING_SERVICE_SID"],
            status_callback_url=config["TWILIO_STATUS_CALLBACK_URL"],
        )
    if backend == "notify":
        return NotifySmsSender(**_notify_args(config, "SMS", timeout))
    return ConsoleSmsSender()


def _notify_args(config, channel, timeout):
    template = f"NOTIFY_{channel}_TEMPLATE_ID"
    config.require(f"{channel}_BACKEND=notify", "NOTIFY_API_KEY", template)
    if not API_KEY_PATTERN.match(config["NOTIFY_API_KEY"]):
        # Never echo the key: start-up errors end up in deployment logs.
        raise DeliveryConfigError(
            "NOTIFY_API_KEY is not a GOV.UK Notify API key "
            "(expected key name, service ID and secret joined by dashes)"
        )
    return {
        "api_key": config["NOTIFY_API_KEY"],
        "template_id": config[template],
        "base_url": config.base_url("NOTIFY_BASE_URL"),
        "timeout": timeout,
    }


class _Settings:
    """Read access to the settings dict with defaults and start-up checks."""

    def __init__(self, settings):
        self._settings = settings

    def __getitem__(self, name):
        value = self._settings.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            value = DEFAULTS.get(name, "")
        return value.strip() if isinstance(value, str) else value

    def choice(self, name, allowed):
        value = str(self[name]).lower()
        if value not in allowed:
            raise DeliveryConfigError(f"{name} must be one of {', '.join(allowed)}")
        return value

    def require(self, what, *names):
        """Each name is a setting, or a tuple of settings of which one will do."""
        groups = [name if isinstance(name, tuple) else (name,) for name in names]
        wanted = [" or ".join(group) for group in groups]
        missing = [
            " or ".join(group) for group in groups if not any(self[n] for n in group)
        ]
        if missing:
            listed = ", ".join(wanted[:-1]) + " and " + wanted[-1]
            raise DeliveryConfigError(f"{what} needs {listed} (missing: {', '.join(missing)})")

    def timeout(self):
        try:
            seconds = float(self["DELIVERY_TIMEOUT_SECONDS"])
        except (TypeError, ValueError):
            seconds = 0
        if not 0 < seconds <= MAX_TIMEOUT_SECONDS:
            raise DeliveryConfigError(
                "DELIVERY_TIMEOUT_SECONDS must be a number of seconds, more than 0 "
                f"and at most {MAX_TIMEOUT_SECONDS}"
            )
        return seconds

    def base_url(self, name):
        # Plain http would send API keys in the clear; only a local fake may use it.
        url = self[name]
        parts = urlsplit(url)
        local = parts.scheme == "http" and parts.hostname in _LOCAL_HOSTS
        if not (parts.scheme == "https" and parts.hostname) and not local:
            raise DeliveryConfigError(f"{name} must be an https:// address")
        return url.rstrip("/")
