"""API keys: only a live key of a live client gets in, only to what its scopes
allow, only to its own links; keys are kept as digests; each client has its own
rate limit; `flask api` registers, rotates, revokes and lists clients."""

import hashlib
import json
from datetime import timedelta

import pytest

from feedback.adapters import store
from feedback.usecases import api_clients
from tests.api_client import NEW_LINK, links_stored
from tests.conftest import store_link
from tests.dates import NOW


@pytest.mark.parametrize("header", [
    None, "Bearer", "Bearer mms_00000000_" + "A" * 43, "Basic dXNlcjpwYXNz",
    "Bearer not-a-key-at-all",
])
def test_a_call_without_a_valid_key_is_refused(api, header):
    key = api.register()
    response = api.call("POST", "/links", json=NEW_LINK,
                        headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.get_json()["status"] == 401
    assert links_stored(api.db) == 0
    # A wrong secret behind a real key's prefix is refused too.
    forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    assert api.call("GET", "/links/abcdefghijklmnop", forged).status_code == 401


def test_keys_are_kept_only_as_digests(api):
    key = api.register()
    [row] = api.db.query("SELECT * FROM api_keys")
    assert row["prefix"] == key.split("_")[1]
    assert row["digest"] == hashlib.sha256(key.encode()).hexdigest()
    assert key.split("_", 2)[2] not in str(list(api.db.query("SELECT * FROM api_keys")))


def test_an_expired_key_is_refused(api, pinned_clock):
    key = api.register(days=1)
    assert api.call("GET", "/links/abcdefghijklmnop", key).status_code == 404
    pinned_clock.advance(days=1)
    assert api.call("GET", "/links/abcdefghijklmnop", key).status_code == 401


def test_a_rotated_key_stops_working_and_the_new_one_works(api, pinned_clock):
    old = api.register("Case system")
    made = api.create(old)
    new = api_clients.rotate_key(api.db, "Case system", 30, pinned_clock.now())
    assert api.call("GET", f"/links/{made['id']}", old).status_code == 401
    assert api.call("GET", f"/links/{made['id']}", new).get_json()["id"] == made["id"]


def test_a_revoked_client_is_refused_with_every_key(api, pinned_clock):
    key = api.register("Case system")
    api_clients.revoke_client(api.db, "Case system", pinned_clock.now())
    assert api.call("POST", "/links", key, json=NEW_LINK).status_code == 401
    assert links_stored(api.db) == 0
    with pytest.raises(api_clients.ClientProblem):
        api_clients.rotate_key(api.db, "Case system", 30, pinned_clock.now())


@pytest.mark.parametrize("days", [0, 731])
def test_a_rotation_the_rules_refuse_leaves_the_key_as_it_was(api, pinned_clock, days):
    key = api.register("Case system")
    with pytest.raises(api_clients.ClientProblem, match="A key lasts 1 to 730 days"):
        api_clients.rotate_key(api.db, "Case system", days, pinned_clock.now())
    assert [row["revoked"] for row in api.db.query("SELECT revoked FROM api_keys")] == [0]
    assert api.call("GET", "/links/abcdefghijklmnop", key).status_code == 404


@pytest.mark.parametrize("scope, method, path, body", [
    ("create", "POST", "/links", NEW_LINK),
    ("create", "GET", "/links/{id}/code", None),
    ("create", "GET", "/links/{id}/qr.png", None),
    ("create", "GET", "/links/{id}/qr.svg", None),
    ("status", "GET", "/links/{id}", None),
    ("send", "POST", "/links/{id}/send",
     {"channel": "sms", "recipient": "07700 900 457", "safe_to_contact": True}),
    ("cancel", "POST", "/links/{id}/cancel", None),
])
def test_each_call_needs_its_scope(api, scope, method, path, body):
    made = api.create(api.register("Maker", ["create"]))
    others = [name for name in api_clients.SCOPES if name != scope]
    key = api.register("Limited", others)
    before = links_stored(api.db)
    refused = api.call(method, path.format(id=made["id"]), key, json=body)
    assert refused.status_code == 403
    assert refused.get_json()["detail"] == f"This client's key does not have the {scope} scope."
    assert links_stored(api.db) == before
    assert store.fetch_link(api.db, made["id"])["revoked"] == 0
    # The refusal is in the audit log too, with the client and its key.
    last = list(api.db.query("SELECT * FROM audit_log WHERE action = 'api_call'"
                             " ORDER BY id DESC LIMIT 1"))[0]
    assert (last["actor"], json.loads(last["detail"])) == (
        "API client Limited", {"by": "API client Limited", "key": key.split("_")[1],
                               "status": 403})


@pytest.mark.parametrize("method, path, body", [
    ("GET", "/links/{id}", None), ("GET", "/links/{id}/code", None),
    ("GET", "/links/{id}/qr.png", None), ("POST", "/links/{id}/cancel", None),
    ("POST", "/links/{id}/send",
     {"channel": "email", "recipient": "sam@example.com", "safe_to_contact": True}),
])
def test_another_clients_link_is_no_link_at_all(api, method, path, body):
    made = api.create(api.register("First"))
    other = api.register("Second")
    response = api.call(method, path.format(id=made["id"]), other, json=body)
    assert response.status_code == 404
    assert response.get_json()["detail"] == "There is no such link among this client's links."
    assert store.fetch_link(api.db, made["id"])["revoked"] == 0
    assert api.db.execute("SELECT count(*) FROM deliveries").fetchone()[0] == 0


def test_an_officers_own_link_is_not_a_clients(api):
    officer = store.fetch_user_by_email(api.db, "officer@example.com")
    link, _ = store_link(api.app, api.db, officer["id"])
    response = api.call("GET", f"/links/{link['id']}", api.register())
    assert response.status_code == 404


def test_each_client_has_its_own_rate_limit(make_api):
    api = make_api(RATE_LIMIT_API_CLIENT="3/1")
    busy, quiet = api.register("Busy"), api.register("Quiet")
    for _ in range(3):
        assert api.call("GET", "/links/abcdefghijklmnop", busy).status_code == 404
    refused = api.call("POST", "/links", busy, json=NEW_LINK)
    # At most two windows to wait (feedback.adapters.ratelimit).
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 2 * 60
    assert links_stored(api.db) == 0
    assert api.call("GET", "/links/abcdefghijklmnop", quiet).status_code == 404


@pytest.mark.parametrize("name, scopes, days", [
    ("", ["create"], 30), ("x" * 61, ["create"], 30), ("Case system", [], 30),
    ("Case system", ["create", "delete"], 30), ("Case system", ["create"], 0),
    ("Case system", ["create"], 731),
])
def test_a_client_is_registered_only_as_the_rules_allow(api, pinned_clock, name, scopes, days):
    with pytest.raises(api_clients.ClientProblem):
        api_clients.register_client(api.db, name, scopes, days, pinned_clock.now())
    assert list(api.db.query("SELECT * FROM api_clients")) == []


def test_the_command_line_registers_rotates_lists_and_revokes(api):
    runner = api.app.test_cli_runner()
    registered = runner.invoke(args=["api", "register", "Niche RMS", "--scopes",
                                     "create,status", "--days", "30"])
    assert registered.exit_code == 0, registered.output
    key = registered.stdout.strip()
    assert "shown only this once" in registered.stderr
    assert api.call("POST", "/links", key, json=NEW_LINK).status_code == 201
    assert api.call("POST", "/links/abcdefghijklmnop/cancel", key).status_code == 403
    again = runner.invoke(args=["api", "register", "Niche RMS"])
    assert again.exit_code == 1 and "already a client called Niche RMS" in again.output
    rotated = runner.invoke(args=["api", "rotate", "Niche RMS"])
    new_key = rotated.stdout.strip()
    assert api.call("GET", "/links/abcdefghijklmnop", key).status_code == 401
    assert api.call("GET", "/links/abcdefghijklmnop", new_key).status_code == 404
    assert runner.invoke(args=["api", "list"]).stdout == (
        f"Niche RMS\tcreate status\tmms_{new_key.split('_')[1]}_…"
        f"\t{(NOW + timedelta(days=365)).isoformat()}\tactive\n")
    assert runner.invoke(args=["api", "revoke", "Niche RMS"]).exit_code == 0
    assert api.call("GET", "/links/abcdefghijklmnop", new_key).status_code == 401
    assert runner.invoke(args=["api", "list"]).stdout == (
        "Niche RMS\tcreate status\tno key\t-\trevoked\n")
    actions = [row["action"] for row in api.db.query(
        "SELECT action FROM audit_log WHERE actor = 'command line' ORDER BY id")]
    assert actions == ["api_client_registered", "api_key_rotated", "api_client_revoked"]


def test_every_api_command_has_help(api):
    runner = api.app.test_cli_runner()
    for command in ("register", "rotate", "revoke", "list"):
        result = runner.invoke(args=["api", command, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output
