"""SMS through Twilio's Programmable Messaging API."""

from urllib.parse import urlencode

import requests
from twilio.base.exceptions import TwilioException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from feedback.adapters.delivery.base import Sent, check_reference, fail

PROVIDER = "twilio"
_FAILURES = (TwilioException, requests.RequestException, ValueError)


class TwilioSmsSender:
    provider = PROVIDER

    def __init__(self, account_sid, auth_token, timeout, base_url,
                 from_number=None, messaging_service_sid=None, status_callback_url=None):
        self._account_sid = account_sid
        self._auth_token = auth_token
        self._timeout = timeout
        self._base_url = base_url.rstrip("/")
        # A messaging service picks the sender itself, so it wins over a number.
        if messaging_service_sid:
            self._sender = {"messaging_service_sid": messaging_service_sid}
        else:
            self._sender = {"from_": from_number}
        self._status_callback_url = status_callback_url

    def send(self, to, text, reference, *, link=None, expires_on=None):
        check_reference(reference)
        http_client = TwilioHttpClient(timeout=self._timeout)
        try:
            message = self._client(http_client).messages.create(
                to=to, body=text, status_callback=self._callback(reference), **self._sender
            )
        except _FAILURES as error:
            raise fail(PROVIDER, error) from None
        finally:
            http_client.session.close()
        return Sent(PROVIDER, message.sid)

    def _client(self, http_client):
        client = Client(self._account_sid, self._auth_token, http_client=http_client)
        # Client reads TWILIO_REGION / TWILIO_EDGE from the environment and would
        # rewrite the host (and break a test URL); the configured base URL rules.
        client.region = None
        client.edge = None
        client.api.base_url = self._base_url
        return client

    def _callback(self, reference):
        if not self._status_callback_url:
            return None  # twilio leaves out None values, so no callback is asked for
        joiner = "&" if "?" in self._status_callback_url else "?"
        return self._status_callback_url + joiner + urlencode({"ref": reference})
