"""/api/v1 refuses what it cannot use with a problem+json answer and changes
nothing; a create retried with its Idempotency-Key makes one link, also when the
retries arrive together."""

import json
from datetime import datetime

import pytest

from feedback.adapters import store
from tests.api_client import NEW_LINK, check_against_description, links_stored, post_together


@pytest.mark.parametrize("data, content_type", [
    ("not json", "application/json"), ("[1, 2]", "application/json"),
    (json.dumps(NEW_LINK), "text/plain"), ("", "application/json"),
])
def test_a_body_that_is_not_a_json_object_is_a_400(api, data, content_type):
    key = api.register()
    response = api.http.post("/api/v1/links", data=data, headers={
        "Authorization": f"Bearer {key}", "Content-Type": content_type})
    check_against_description(api.description, "POST", "/api/v1/links", response)
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert links_stored(api.db) == 0


@pytest.mark.parametrize("changes, errors", [
    ({"officer": "nobody@example.com"}, ["officer"]),
    ({"officer": "trainer@example.com"}, ["officer"]),
    ({"stage": "whenever"}, ["stage"]),
    ({"crime_category": "jaywalking"}, ["crime_category"]),
    ({"language": "xx"}, ["language"]),
    ({"team": "No Such Team"}, ["team"]),
    ({"expiry_days": 0}, ["expiry_days"]),
    ({"expiry_days": 91}, ["expiry_days"]),
    ({"expiry_days": "28"}, ["expiry_days"]),
    ({"expiry_days": True}, ["expiry_days"]),
    ({"stage": None}, ["stage"]),
    ({"victim_name": "Sam"}, ["victim_name"]),
])
def test_a_link_the_page_would_refuse_is_a_422(api, make_user, changes, errors):
    make_user("trainer@example.com", role="trainer")
    key = api.register()
    response = api.call("POST", "/links", key, json={**NEW_LINK, **changes})
    assert response.status_code == 422
    assert sorted(response.get_json()["errors"]) == errors
    assert "Sam" not in response.get_data(as_text=True)
    assert links_stored(api.db) == 0


def test_missing_fields_are_each_named(api):
    response = api.call("POST", "/links", api.register(), json={})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        name: "This field is required." for name in ("crime_category", "officer", "stage")}


def test_a_disabled_officer_gets_no_link(api):
    store.set_disabled(
        api.db, store.fetch_user_by_email(api.db, "officer@example.com")["id"], True)
    response = api.call("POST", "/links", api.register(), json=NEW_LINK)
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["officer"]


def test_the_officers_team_and_the_default_lifetime_are_used_when_left_out(api):
    body = {name: value for name, value in NEW_LINK.items() if name != "expiry_days"}
    response = api.call("POST", "/links", api.register(), json=body)
    assert response.status_code == 201
    stored = store.fetch_link(api.db, response.get_json()["id"])
    assert stored["team"] == "Response Team 1"
    lifetime = datetime.fromisoformat(stored["expires_at"]) - datetime.fromisoformat(
        stored["created_at"])
    assert lifetime.days == api.app.config["LINK_DEFAULT_DAYS"]


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/api/v1/nothing-here", 404), ("DELETE", "/api/v1/links", 405),
    ("GET", "/api/v1/links", 405),
])
def test_an_unknown_address_or_method_is_a_problem_too(api, method, path, status):
    response = api.http.open(path, method=method)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == status
    if status == 405:
        assert "POST" in response.headers["Allow"]


def test_a_retried_create_makes_one_link(api):
    key = api.register()
    retry = {"Idempotency-Key": "case-123-create"}
    first = api.call("POST", "/links", key, json=NEW_LINK, headers=retry)
    again = api.call("POST", "/links", key, json=NEW_LINK, headers=retry)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.get_json() == again.get_json()
    assert links_stored(api.db) == 1
    changed = api.call("POST", "/links", key, json={**NEW_LINK, "language": "en"},
                       headers=retry)
    assert changed.status_code == 422
    assert changed.get_json()["detail"] == (
        "This Idempotency-Key was used for a different request.")
    assert links_stored(api.db) == 1
    # Keys are the client's own: another client's same key makes its own link.
    other = api.call("POST", "/links", api.register("Other"), json=NEW_LINK, headers=retry)
    assert other.status_code == 201 and other.get_json()["id"] != first.get_json()["id"]
    [kept, _] = api.db.query("SELECT * FROM api_idempotency ORDER BY client_id")
    assert json.loads(kept["response"]) == {"link_id": first.get_json()["id"]}


def test_a_failed_create_leaves_the_key_free(api):
    key = api.register()
    retry = {"Idempotency-Key": "case-9"}
    bad = api.call("POST", "/links", key, json={**NEW_LINK, "stage": "never"}, headers=retry)
    assert bad.status_code == 422
    assert api.call("POST", "/links", key, json=NEW_LINK, headers=retry).status_code == 201


@pytest.mark.parametrize("value", ["x" * 256, "naïve"])
def test_an_idempotency_key_out_of_bounds_is_a_400(api, value):
    response = api.http.post("/api/v1/links", json=NEW_LINK, headers={
        "Authorization": f"Bearer {api.register()}",
        "Idempotency-Key": value.encode().decode("latin-1")})
    assert response.status_code == 400 and links_stored(api.db) == 0


def test_parallel_retries_make_one_link(api, live_server):
    answers = post_together(api.description, f"{live_server}/api/v1/links", api.register(),
                            NEW_LINK, "parallel-1")
    assert links_stored(api.db) == 1
    [link_id] = [row["id"] for row in api.db.query("SELECT id FROM links")]
    assert {status for status, _ in answers} <= {201, 409}
    assert all(body["id"] == link_id for status, body in answers if status == 201)
    assert any(status == 201 for status, _ in answers)


def test_purge_forgets_idempotency_keys_after_a_day(api, pinned_clock):
    key = api.register()
    api.call("POST", "/links", key, json=NEW_LINK, headers={"Idempotency-Key": "old"})
    pinned_clock.advance(hours=23)
    api.call("POST", "/links", key, json=NEW_LINK, headers={"Idempotency-Key": "new"})
    pinned_clock.advance(hours=2)
    result = api.app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0 and "1 idempotency keys" in result.output
    assert [row["key"] for row in api.db.query("SELECT key FROM api_idempotency")] == ["new"]
