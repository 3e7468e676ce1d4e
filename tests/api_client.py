"""Calling /api/v1 in tests: every response is checked against the served OpenAPI
description (status documented, content type, body schema) before a test sees it."""

import re
import threading
from urllib.parse import urlsplit

import jsonschema
import pytest
import requests

from feedback.adapters import store
from feedback.domain import clock
from feedback.usecases import api_clients
from feedback.web.db import database_target

ALL_SCOPES = list(api_clients.SCOPES)
NEW_LINK = {"officer": "officer@example.com", "stage": "at_report",
            "crime_category": "burglary", "language": "pl", "expiry_days": 14}


def links_stored(db):
    return db.execute("SELECT count(*) FROM links").fetchone()[0]


def post_together(description, url, key, json, idempotency_key, times=8):
    """The same POST with one Idempotency-Key from `times` threads let go at once,
    as retries that arrive together, each answer checked against the description:
    [(status, body)] as they came back."""
    answers, start = [], threading.Barrier(times)

    def call():
        start.wait()
        response = requests.post(url, json=json, timeout=30, headers={
            "Authorization": f"Bearer {key}", "Idempotency-Key": idempotency_key})
        answers.append(_Answer(response))

    threads = [threading.Thread(target=call) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for answer in answers:
        check_against_description(description, "POST", urlsplit(url).path, answer)
    return [(answer.status_code, answer.get_json()) for answer in answers]


class _Answer:
    """A requests response, read as check_against_description reads a test client's."""

    def __init__(self, response):
        self.status_code, self.headers = response.status_code, response.headers
        self.mimetype = response.headers.get("Content-Type", "").split(";")[0].strip()
        self.get_json = response.json


def _template(description, method, path):
    """The description's operation for a method and /api/v1 path."""
    path = path.split("?")[0].removeprefix("/api/v1")
    for template, item in description["paths"].items():
        pattern = "^" + re.sub(r"\\{[a-z_]+\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in item:
            return item[method.lower()]
    return None


def _follow(description, item):
    """The item a "$ref" names ("#/components/responses/NotFound"), or the item."""
    while "$ref" in item:
        target = description
        for part in item["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        item = target
    return item


def check_against_description(description, method, path, response):
    """Fail unless the response is one the description promises."""
    operation = _template(description, method, path)
    assert operation is not None, f"{method} {path} is not described"
    responses = operation["responses"]
    assert str(response.status_code) in responses, (method, path, response.status_code)
    described = _follow(description, responses[str(response.status_code)])
    assert response.mimetype in described["content"], (response.status_code, response.mimetype)
    schema = described["content"][response.mimetype].get("schema")
    if schema:
        # The whole description as the root, so "#/components/..." resolves.
        jsonschema.Draft202012Validator({**description, **schema}).validate(response.get_json())
    for header in described.get("headers", {}):
        assert header in response.headers, (response.status_code, header)


class Api:
    """One app's API, called through its test client with a given key."""

    def __init__(self, app, db):
        self.app, self.db, self.http = app, db, app.test_client()
        self.description = self.http.get("/api/v1/openapi.json").get_json()

    def register(self, name="Case system", scopes=ALL_SCOPES, days=365):
        return api_clients.register_client(self.db, name, scopes, days, clock.now())

    def call(self, method, path, key=None, json=None, headers=None, check=True):
        headers = {**({"Authorization": f"Bearer {key}"} if key else {}), **(headers or {})}
        response = self.http.open(f"/api/v1{path}", method=method, json=json, headers=headers)
        if check:
            check_against_description(self.description, method, f"/api/v1{path}", response)
        return response

    def create(self, key, **changes):
        response = self.call("POST", "/links", key, json={**NEW_LINK, **changes})
        assert response.status_code == 201, response.get_json()
        return response.get_json()


@pytest.fixture
def make_api(make_app, make_user):
    """make_api(**env) -> Api for an app with those settings and an officer."""
    opened = []

    def make(**env):
        app = make_app(**env)
        db = store.connect(database_target(app.config))
        opened.append(db)
        if store.fetch_user_by_email(db, "officer@example.com") is None:
            make_user("officer@example.com")
        return Api(app, db)
    yield make
    for db in opened:
        db.close()


@pytest.fixture
def api(make_api):
    return make_api()
