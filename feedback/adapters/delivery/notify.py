"""Email and SMS through GOV.UK Notify.

Notify sends from templates held in the Notify account, so it is handed the
link and expiry date as personalisation rather than our rendered text; the
templates should use the wording in feedback.domain.messages.
"""

import re

import requests
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from feedback.adapters.delivery.base import Sent, check_reference, fail, quiet_provider_loggers
from feedback.domain.messages import format_date, format_date_short

PROVIDER = "notify"
_FAILURES = (APIError, requests.RequestException, ValueError)

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# "{key name}-{service id}-{secret}": the client slices the ids off the end.
API_KEY_PATTERN = re.compile(rf"^.+-{_UUID}-{_UUID}$")


class _NotifySender:
    def __init__(self, api_key, template_id, base_url, timeout):
        self._api_key = api_key
        self._template_id = template_id
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout
        quiet_provider_loggers()

    def _post(self, send, to, reference, personalisation):
        check_reference(reference)
        # The client keeps a requests session and says it is not thread-safe, so
        # each message gets its own (building one makes no network call).
        client = NotificationsAPIClient(
            self._api_key, base_url=self._base_url, timeout=self._timeout
        )
        try:
            response = send(
                client, to, self._template_id, personalisation=personalisation,
                reference=reference,
            )
        except _FAILURES as error:
            raise fail(PROVIDER, error) from None
        finally:
            client.request_session.close()
        return Sent(PROVIDER, response.get("id") if isinstance(response, dict) else None)


def _personalisation(link, expires_on, format_expiry):
    if not link or expires_on is None:
        raise ValueError("Notify templates need link= and expires_on=")
    return {"link": link, "expires": format_expiry(expires_on)}


class NotifyEmailSender(_NotifySender):
    provider = PROVIDER

    def send(self, to, subject, text, html, reference, *, link=None, expires_on=None):
        values = _personalisation(link, expires_on, format_date)
        return self._post(NotificationsAPIClient.send_email_notification, to, reference, values)


class NotifySmsSender(_NotifySender):
    provider = PROVIDER

    def send(self, to, text, reference, *, link=None, expires_on=None):
        values = _personalisation(link, expires_on, format_date_short)
        return self._post(NotificationsAPIClient.send_sms_notification, to, reference, values)
