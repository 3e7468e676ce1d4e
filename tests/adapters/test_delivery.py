import base64
import datetime
import logging
import time
import traceback
import uuid

import jwt
import pytest

from feedback.adapters.delivery import (
    DeliveryConfigError,
    DeliveryError,
    Sent,
    build_senders,
    new_reference,
    send_link_by_email,
    send_link_by_sms,
)
from feedback.adapters.delivery.console import ConsoleEmailSender, ConsoleSmsSender
from feedback.adapters.delivery.notify import NotifyEmailSender, NotifySmsSender
from feedback.adapters.delivery.sendgrid_email import SendGridEmailSender
from feedback.adapters.delivery.twilio_sms import TwilioSmsSender
from feedback.domain.messages import email_message, sms_text
from tests import fake_providers

# pytest finds fixtures by module attribute; assigning (not importing) keeps
# ruff from reading the test arguments as redefinitions.

PHONE = "+447700900982"
EMAIL = "sam.jones@example.com"
# Strings that identify the recipient in any encoding a provider might echo
PHONE_TRACES = ("447700900982", "7700900982", "7700 900982")
EMAIL_TRACES = ("sam.jones", "sam%2Ejones")
URL = "https://feedback.example.test/r/Tok3nThatMustNotLeak.aSk2Lw.sig"
EXPIRES = datetime.date(2026, 12, 12)
SENDER = "Example Service"
ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "twilio-auth-token-for-tests"
SERVICE_ID = str(uuid.uuid4())
NOTIFY_SECRET = str(uuid.uuid4())
NOTIFY_KEY = f"test_key-{SERVICE_ID}-{NOTIFY_SECRET}"


def sendgrid(base_url, **extra):
    return {"EMAIL_BACKEND": "sendgrid", "SENDGRID_API_KEY": "SG.test-key",
            "SENDGRID_FROM_EMAIL": "no-reply@feedback.example.org",
            "SENDER_NAME": SENDER, "SENDGRID_BASE_URL": base_url, **extra}


def twilio(base_url, **extra):
    return {"SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "TWILIO_FROM_NUMBER": "+447700900001",
            "TWILIO_STATUS_CALLBACK_URL": "https://feedback.example.test/webhooks/twilio",
            "TWILIO_BASE_URL": base_url, **extra}


def notify(base_url, **extra):
    return {"EMAIL_BACKEND": "notify", "SMS_BACKEND": "notify", "NOTIFY_API_KEY": NOTIFY_KEY,
            "NOTIFY_EMAIL_TEMPLATE_ID": "email-template-id",
            "NOTIFY_SMS_TEMPLATE_ID": "sms-template-id", "NOTIFY_BASE_URL": base_url, **extra}


def send_email(settings, reference=None):
    senders = build_senders(settings)
    return send_link_by_email(senders.email, EMAIL, URL, EXPIRES, SENDER,
                              reference or new_reference())


def send_sms(settings, reference=None):
    senders = build_senders(settings)
    return send_link_by_sms(senders.sms, PHONE, URL, EXPIRES, SENDER,
                            reference or new_reference())


def test_sendgrid_sends_both_parts_with_the_api_key_and_our_reference(fake_provider):
    reference = new_reference()
    sent = send_email(sendgrid(fake_provider.url), reference)

    [request] = fake_provider.requests
    subject, text, html = email_message(URL, EXPIRES, SENDER)
    assert (request.method, request.path) == ("POST", "/v3/mail/send")
    assert request.headers["Authorization"] == "Bearer SG.test-key"
    assert request.body["personalizations"] == [{"to": [{"email": EMAIL}]}]
    assert request.body["from"] == {"email": "no-reply@feedback.example.org", "name": SENDER}
    assert request.body["subject"] == subject
    assert request.body["content"] == [{"type": "text/plain", "value": text},
                                       {"type": "text/html", "value": html}]
    assert request.body["custom_args"] == {"ref": reference}
    assert sent.provider == "sendgrid"
    assert len(sent.reference) == 32  # the fake's X-Message-Id


def test_sendgrid_is_told_not_to_rewrite_the_link_or_add_a_tracking_pixel(fake_provider):
    send_email(sendgrid(fake_provider.url))

    tracking = fake_provider.requests[0].body["tracking_settings"]
    assert tracking["click_tracking"] == {"enable": False, "enable_text": False}
    assert tracking["open_tracking"] == {"enable": False}


def test_twilio_sends_the_sms_with_basic_auth_and_a_status_callback_carrying_the_reference(
    fake_provider,
):
    reference = new_reference()
    sent = send_sms(twilio(fake_provider.url), reference)

    [request] = fake_provider.requests
    assert request.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    scheme, credentials = request.headers["Authorization"].split(" ")
    assert scheme == "Basic"
    assert base64.b64decode(credentials).decode() == f"{ACCOUNT_SID}:{AUTH_TOKEN}"
    assert request.body["To"] == PHONE
    assert request.body["Body"] == sms_text(URL, EXPIRES, SENDER)
    assert request.body["From"] == "+447700900001"
    assert request.body["StatusCallback"] == (
        f"https://feedback.example.test/webhooks/twilio?ref={reference}"
    )
    assert sent.provider == "twilio"
    assert sent.reference.startswith("SM")


def test_twilio_uses_the_messaging_service_instead_of_a_number_when_both_are_set(
    fake_provider,
):
    send_sms(twilio(fake_provider.url, TWILIO_MESSAGING_SERVICE_SID="MG" + "1" * 32))

    body = fake_provider.requests[0].body
    assert body["MessagingServiceSid"] == "MG" + "1" * 32
    assert "From" not in body


def test_twilio_asks_for_no_callback_when_none_is_configured(fake_provider):
    send_sms(twilio(fake_provider.url, TWILIO_STATUS_CALLBACK_URL=""))

    assert "StatusCallback" not in fake_provider.requests[0].body


def test_twilio_region_and_edge_in_the_environment_cannot_redirect_messages(
    fake_provider, monkeypatch
):
    monkeypatch.setenv("TWILIO_REGION", "ie1")
    monkeypatch.setenv("TWILIO_EDGE", "dublin")

    send_sms(twilio(fake_provider.url))

    assert len(fake_provider.requests) == 1


@pytest.mark.parametrize(
    ("send", "path", "recipient_field", "recipient", "template", "expires"),
    [
        (send_sms, "/v2/notifications/sms", "phone_number", PHONE, "sms-template-id",
         "12 Dec 2026"),
        (send_email, "/v2/notifications/email", "email_address", EMAIL, "email-template-id",
         "12 December 2026"),
    ],
)
def test_notify_sends_the_template_with_link_expiry_reference_and_a_signed_token(
    fake_provider, send, path, recipient_field, recipient, template, expires
):
    reference = new_reference()
    sent = send(notify(fake_provider.url), reference)

    [request] = fake_provider.requests
    assert request.path == path
    assert request.body == {
        recipient_field: recipient,
        "template_id": template,
        "personalisation": {"link": URL, "expires": expires},
        "reference": reference,
    }
    scheme, token = request.headers["Authorization"].split(" ")
    assert scheme == "Bearer"
    claims = jwt.decode(token, NOTIFY_SECRET, algorithms=["HS256"])
    assert claims["iss"] == SERVICE_ID
    assert sent.provider == "notify"
    assert uuid.UUID(sent.reference)


FAILURES = ["HTTP 500", "HTTP 400", "timeout", "connection failed"]
SENDS = [
    pytest.param(send_email, sendgrid, EMAIL_TRACES, id="sendgrid"),
    pytest.param(send_sms, twilio, PHONE_TRACES, id="twilio"),
    pytest.param(send_email, notify, EMAIL_TRACES, id="notify-email"),
    pytest.param(send_sms, notify, PHONE_TRACES, id="notify-sms"),
]


@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize(("send", "settings", "traces"), SENDS)
def test_a_provider_failure_raises_delivery_error_without_the_recipient_or_message(
    fake_provider, caplog, send, settings, traces, failure
):
    caplog.set_level(logging.DEBUG)
    base_url = fake_providers.closed_port_url() if failure == "connection failed" else (
        fake_provider.url)
    if failure.startswith("HTTP"):
        fake_provider.fail_all(int(failure.split()[1]))
    if failure == "timeout":
        fake_provider.slow(5)

    started = time.monotonic()
    with pytest.raises(DeliveryError) as caught:
        send(settings(base_url, DELIVERY_TIMEOUT_SECONDS="0.5"))

    assert time.monotonic() - started < 3
    error = caught.value
    assert error.reason == failure
    assert error.provider in str(error)
    printed = "".join(traceback.format_exception(error)) + caplog.text
    for secret in (*traces, "Tok3nThatMustNotLeak", "tell us how we did", "how we did"):
        assert secret not in printed
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in warnings] == [
        f"{error.provider} delivery failed: {failure}"
    ]


@pytest.mark.parametrize(("send", "settings", "traces"), SENDS)
def test_the_fake_really_echoes_the_recipient_so_the_failure_test_means_something(
    fake_provider, send, settings, traces
):
    fake_provider.fail_next(400)
    with pytest.raises(DeliveryError) as caught:
        send(settings(fake_provider.url))
    cause = caught.value.__context__  # kept for debugging, hidden from tracebacks
    said = str(cause) + str(getattr(cause, "body", ""))
    assert any(trace in said for trace in traces)


def test_a_failure_does_not_stick_to_the_next_message(fake_provider):
    fake_provider.fail_next(503)
    with pytest.raises(DeliveryError):
        send_sms(twilio(fake_provider.url))
    assert send_sms(twilio(fake_provider.url)).provider == "twilio"


@pytest.mark.parametrize(("send", "settings", "traces"), SENDS)
def test_a_successful_send_logs_nothing_about_the_recipient_even_at_debug(
    fake_provider, caplog, send, settings, traces
):
    caplog.set_level(logging.DEBUG)
    send(settings(fake_provider.url))
    for secret in (*traces, "Tok3nThatMustNotLeak"):
        assert secret not in caplog.text


def test_console_sms_logs_the_message_with_the_number_redacted(caplog):
    caplog.set_level(logging.INFO, logger="feedback.adapters.delivery")
    sent = send_sms({"SMS_BACKEND": "console"})

    assert sent == Sent("console", None)
    assert "07*** ***982" in caplog.text
    assert sms_text(URL, EXPIRES, SENDER) in caplog.text
    assert not any(trace in caplog.text for trace in PHONE_TRACES)


def test_console_email_logs_the_message_with_the_address_redacted(caplog):
    caplog.set_level(logging.INFO, logger="feedback.adapters.delivery")
    sent = send_email({})

    assert sent == Sent("console", None)
    assert "s***@e***.com" in caplog.text
    assert "Tell us about a recent contact" in caplog.text
    assert URL in caplog.text
    assert "sam.jones" not in caplog.text


@pytest.mark.parametrize("reference", ["", "+447700900982", "sam.jones@example.com", None,
                                       "short", "x" * 65])
def test_a_reference_that_is_not_a_random_token_is_refused_before_sending(
    fake_provider, reference
):
    senders = build_senders(twilio(fake_provider.url))
    with pytest.raises(ValueError):
        senders.sms.send(PHONE, "text", reference)
    assert fake_provider.requests == []


def test_notify_needs_the_link_and_expiry_for_its_template(fake_provider):
    senders = build_senders(notify(fake_provider.url))
    with pytest.raises(ValueError):
        senders.sms.send(PHONE, "text", new_reference())
    assert fake_provider.requests == []


def test_building_senders_makes_no_network_calls(no_internet):
    senders = build_senders({**sendgrid("https://api.sendgrid.com"),
                             **twilio("https://api.twilio.com")})
    assert isinstance(senders.email, SendGridEmailSender)
    assert isinstance(senders.sms, TwilioSmsSender)
    senders = build_senders(notify("https://api.notifications.service.gov.uk"))
    assert isinstance(senders.email, NotifyEmailSender)
    assert isinstance(senders.sms, NotifySmsSender)


def test_console_is_the_default_for_both(no_internet):
    senders = build_senders({})
    assert isinstance(senders.email, ConsoleEmailSender)
    assert isinstance(senders.sms, ConsoleSmsSender)


def test_backend_names_are_not_case_sensitive():
    senders = build_senders({**sendgrid("https://api.sendgrid.com"), "EMAIL_BACKEND": "SendGrid"})
    assert isinstance(senders.email, SendGridEmailSender)


TWILIO_NEEDS = ("SMS_BACKEND=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and "
                "TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"SMS_BACKEND": "twilio"}, TWILIO_NEEDS + " (missing: TWILIO_ACCOUNT_SID, "
         "TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID)"),
        ({**twilio("https://api.twilio.com"), "TWILIO_AUTH_TOKEN": ""},
         TWILIO_NEEDS + " (missing: TWILIO_AUTH_TOKEN)"),
        ({**twilio("https://api.twilio.com"), "TWILIO_FROM_NUMBER": None},
         TWILIO_NEEDS + " (missing: TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID)"),
        ({"EMAIL_BACKEND": "sendgrid", "SENDGRID_API_KEY": "SG.x"},
         "EMAIL_BACKEND=sendgrid needs SENDGRID_API_KEY and SENDGRID_FROM_EMAIL "
         "(missing: SENDGRID_FROM_EMAIL)"),
        ({"EMAIL_BACKEND": "notify", "NOTIFY_API_KEY": NOTIFY_KEY},
         "EMAIL_BACKEND=notify needs NOTIFY_API_KEY and NOTIFY_EMAIL_TEMPLATE_ID "
         "(missing: NOTIFY_EMAIL_TEMPLATE_ID)"),
        ({"SMS_BACKEND": "notify", "NOTIFY_SMS_TEMPLATE_ID": "t"},
         "SMS_BACKEND=notify needs NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID "
         "(missing: NOTIFY_API_KEY)"),
        ({"EMAIL_BACKEND": "mailgun"}, "EMAIL_BACKEND must be one of console, sendgrid, notify"),
        ({"SMS_BACKEND": "sns"}, "SMS_BACKEND must be one of console, twilio, notify"),
        ({"DELIVERY_TIMEOUT_SECONDS": "0"}, "DELIVERY_TIMEOUT_SECONDS must be a number"),
        ({"DELIVERY_TIMEOUT_SECONDS": "soon"}, "DELIVERY_TIMEOUT_SECONDS must be a number"),
        ({"DELIVERY_TIMEOUT_SECONDS": 600}, "DELIVERY_TIMEOUT_SECONDS must be a number"),
        ({**sendgrid("http://api.sendgrid.com")}, "SENDGRID_BASE_URL must be an https://"),
        ({**twilio("api.twilio.com")}, "TWILIO_BASE_URL must be an https://"),
        ({**sendgrid("https://api.sendgrid.com"), "SENDGRID_FROM_EMAIL": "no-reply"},
         "SENDGRID_FROM_EMAIL is not an email address"),
        ({"SENDER_NAME": "The Metropolitan Feedback Service"},
         "SENDER_NAME must be at most 20 characters"),
    ],
)
def test_a_backend_without_its_settings_stops_start_up_with_a_clear_message(settings, message):
    with pytest.raises(DeliveryConfigError) as caught:
        build_senders(settings)
    assert str(caught.value).startswith(message)


def test_a_malformed_notify_key_is_reported_without_echoing_it():
    with pytest.raises(DeliveryConfigError) as caught:
        build_senders(notify("https://api.notifications.service.gov.uk",
                             NOTIFY_API_KEY="secret-looking-value"))
    assert "NOTIFY_API_KEY" in str(caught.value)
    assert "secret-looking-value" not in str(caught.value)


@pytest.mark.parametrize("value", [5, "5", "0.5", 0.25, None, ""])
def test_the_timeout_accepts_numbers_and_strings_and_defaults_to_five(value):
    assert build_senders({"DELIVERY_TIMEOUT_SECONDS": value})

