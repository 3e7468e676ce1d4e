"""Email through SendGrid's v3 mail API (python_http_client over urllib).

Delivery receipts come from SendGrid's signed event webhook, configured in the
SendGrid account; the reference travels as custom_args so events carry it back.
"""

import http.client

import sendgrid
from python_http_client.exceptions import HTTPError

from feedback.adapters.delivery.base import Sent, check_reference, fail, quiet_provider_loggers

PROVIDER = "sendgrid"
_FAILURES = (HTTPError, OSError, http.client.HTTPException, ValueError)

# Click tracking would rewrite the link onto a SendGrid domain and open
# tracking adds a pixel: both leak that the email was read, and the link must
# stay on the service's own address. Off per message, whatever the account says.
_NO_TRACKING = {
    "click_tracking": {"enable": False, "enable_text": False},
    "open_tracking": {"enable": False},
    "subscription_tracking": {"enable": False},
    "ganalytics": {"enable": False},
}


class SendGridEmailSender:
    provider = PROVIDER

    def __init__(self, api_key, from_email, from_name, base_url, timeout):
        self._api_key = api_key
        self._from = {"email": from_email, **({"name": from_name} if from_name else {})}
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout
        quiet_provider_loggers()

    def send(self, to, subject, text, html, reference, *, link=None, expires_on=None):
        check_reference(reference)
        body = {
            "personalizations": [{"to": [{"email": to}]}],
            "from": self._from,
            "subject": subject,
            "content": [
                {"type": "text/plain", "value": text},
                {"type": "text/html", "value": html},
            ],
            "custom_args": {"ref": reference},
            "tracking_settings": _NO_TRACKING,
        }
        # A client per message: it is cheap, makes no connection until used,
        # and shares no mutable state between threads.
        client = sendgrid.SendGridAPIClient(api_key=self._api_key, host=self._base_url)
        client.client.timeout = self._timeout
        try:
            response = client.send(body)
        except _FAILURES as error:
            raise fail(PROVIDER, error) from None
        return Sent(PROVIDER, response.headers.get("X-Message-Id"))
