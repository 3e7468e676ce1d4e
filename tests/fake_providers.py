"""A stand-in for SendGrid, Twilio and GOV.UK Notify on 127.0.0.1.

The real SDKs talk to it over real HTTP, so tests see what the providers
would see. It records every request, and can be told to fail or to stall.
Errors echo the request body back, as real providers often quote the bad
field, so tests can prove none of it escapes into our errors or logs.
"""

import json
import re
import socket
import threading
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

_TWILIO_MESSAGES = re.compile(r"^/2010-04-01/Accounts/(?P<sid>[^/]+)/Messages\.json$")
_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                    "all_proxy")


@dataclass
class Recorded:
    method: str
    path: str
    query: dict
    headers: dict
    body: object  # JSON as parsed, a form as {name: value}, else the text
    raw: bytes


class FakeProvider:
    def __init__(self):
        self.requests = []
        self._lock = threading.Lock()
        self._failures = []
        self._fail_all = None
        self._delay = 0
        self._released = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self
        self._server.handle_error = lambda request, address: None  # clients that gave up
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self):
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._released.set()
        self._server.shutdown()
        self._server.server_close()

    def fail_next(self, status=500):
        with self._lock:
            self._failures.append(status)

    def fail_all(self, status=500):
        self._fail_all = status

    def slow(self, seconds):
        """Wait this long before answering (stop() cuts the wait short)."""
        self._delay = seconds

    def _record(self, recorded):
        with self._lock:
            self.requests.append(recorded)
            return self._failures.pop(0) if self._failures else self._fail_all


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass  # keep test output clean; requests are on FakeProvider.requests

    def do_POST(self):
        fake = self.server.fake
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        parts = urlsplit(self.path)
        recorded = Recorded(
            method=self.command,
            path=parts.path,
            query={k: v[0] for k, v in parse_qs(parts.query).items()},
            headers=dict(self.headers.items()),
            body=_parse(raw, self.headers.get("Content-Type", "")),
            raw=raw,
        )
        failure = fake._record(recorded)
        if fake._delay:
            fake._released.wait(fake._delay)
        if failure:
            echo = raw.decode("utf-8", "replace")
            return self._reply(failure, {"message": f"rejected: {echo}", "code": 21211,
                                         "errors": [{"error": "BadRequestError",
                                                     "message": f"rejected: {echo}"}]})
        self._route(recorded)

    do_GET = do_POST

    def _route(self, recorded):
        path, body = recorded.path, recorded.body
        if recorded.method == "POST" and path == "/v3/mail/send":
            return self._reply(202, None, {"X-Message-Id": uuid.uuid4().hex})
        match = _TWILIO_MESSAGES.match(path)
        if recorded.method == "POST" and match:
            return self._reply(201, {
                "sid": "SM" + uuid.uuid4().hex, "status": "queued",
                "account_sid": match["sid"], "to": body.get("To"), "body": body.get("Body"),
            })
        if recorded.method == "POST" and path in ("/v2/notifications/sms",
                                                  "/v2/notifications/email"):
            return self._reply(201, {"id": str(uuid.uuid4()), "reference": body.get("reference"),
                                     "template": {"id": body.get("template_id")}})
        self._reply(404, {"message": "not found"})

    def _reply(self, status, payload, headers=None):
        data = b"" if payload is None else json.dumps(payload).encode("utf-8")
        try:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the client timed out and hung up


def _parse(raw, content_type):
    text = raw.decode("utf-8", "replace")
    if "json" in content_type:
        try:
            return json.loads(text)
        except ValueError:
            return text
    if "form-urlencoded" in content_type:
        return {k: v[0] if len(v) == 1 else v for k, v in parse_qs(text).items()}
    return text


def closed_port_url():
    """An address on 127.0.0.1 where nothing listens: connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def no_internet(monkeypatch):
    """Fail loudly if anything tries to leave this machine (or use a proxy)."""
    for name in _PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    real_getaddrinfo = socket.getaddrinfo

    def local_only(host, *args, **kwargs):
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise AssertionError(f"test tried to reach {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local_only)


@pytest.fixture
def fake_provider(no_internet):
    server = FakeProvider().start()
    yield server
    server.stop()


# Settings that point each provider's real SDK at the fake.
ACCOUNT_SID = "AC" + "1" * 32
NOTIFY_SERVICE = str(uuid.uuid4())
NOTIFY_KEY = f"test_key-{NOTIFY_SERVICE}-{uuid.uuid4()}"


def twilio_env(fake):
    return {"SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": "twilio-test-token", "TWILIO_FROM_NUMBER": "+447700900001",
            "TWILIO_BASE_URL": fake.url}


def sendgrid_env(fake):
    return {"EMAIL_BACKEND": "sendgrid", "SENDGRID_API_KEY": "SG.test-key",
            "SENDGRID_FROM_EMAIL": "feedback@example.com", "SENDGRID_BASE_URL": fake.url}


def notify_env(fake):
    return {"EMAIL_BACKEND": "notify", "SMS_BACKEND": "notify", "NOTIFY_API_KEY": NOTIFY_KEY,
            "NOTIFY_BASE_URL": fake.url, "NOTIFY_EMAIL_TEMPLATE_ID": str(uuid.uuid4()),
            "NOTIFY_SMS_TEMPLATE_ID": str(uuid.uuid4())}
