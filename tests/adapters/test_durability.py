"""An acknowledged submission is never lost: kill -9 the server straight after
the thank-you redirect, and the response is in the database (docs/design.md)."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from feedback.adapters import store
from feedback.web.db import database_target
from tests.conftest import AT_REPORT_ANSWERS, BASE_ENV
from tests.pages import csrf_token
from tests.stored import stored_responses

pytestmark = pytest.mark.slow  # a server process killed with SIGKILL

SERVE = """
import sys
from werkzeug.serving import make_server
from feedback import create_app

server = make_server("127.0.0.1", 0, create_app({"SESSION_COOKIE_SECURE": False}), threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""


def test_a_response_acknowledged_before_kill_9_is_kept(app, make_link, db):
    _, path = make_link()
    env = {**os.environ, **BASE_ENV, "DATABASE_PATH": app.config["DATABASE_PATH"],
           "LOG_LEVEL": "WARNING"}
    server = subprocess.Popen([sys.executable, "-c", SERVE], env=env, stdout=subprocess.PIPE,
                              cwd=Path(__file__).resolve().parents[2], text=True)
    try:
        base = f"http://127.0.0.1:{server.stdout.readline().strip()}"
        victim = requests.Session()
        victim.get(base + path, allow_redirects=False, timeout=10)
        token = csrf_token(victim.get(base + "/feedback", timeout=10).text)
        answered = victim.post(base + "/feedback", allow_redirects=False, timeout=10,
                               data={**AT_REPORT_ANSWERS, "csrf_token": token})
        assert answered.status_code == 303
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()
    after = store.connect(database_target(app.config))
    assert len(stored_responses(after)) == 1
