"""Single sign-on against a provider on 127.0.0.1 (tests/fake_oidc.py) that can be
told to answer wrongly: every wrong answer is a calm 4xx page, no account, and an
audit entry; a right one signs in with the role and team its claims give."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from feedback.adapters import store
from feedback.adapters.store import accounts as account_store
from feedback.adapters.store import audit
from feedback.config import ConfigError, from_environment
from feedback.usecases import staff
from feedback.usecases.auditing import COMMAND_LINE
from feedback.web.logsafety import redact
from tests.conftest import Browser
from tests.fake_oidc import CLIENT_ID, CLIENT_SECRET, FakeProvider
from tests.pages import PASSWORD, check_page, csrf_token

REFUSED = "We could not sign you in"
NO_ACCESS = "You do not have access to this service"
GROUPS = {"Feedback Trainers": "trainer", "Feedback Admins": "admin"}


@pytest.fixture
def provider(pinned_clock):
    fake = FakeProvider(pinned_clock.now)
    fake.claims = {"roles": ["officer"], "team": "Response Team 2"}
    yield fake
    fake.close()


@pytest.fixture
def app(make_app, provider):
    return make_app(OIDC_ISSUER=provider.issuer, OIDC_CLIENT_ID=CLIENT_ID,
                    OIDC_CLIENT_SECRET=CLIENT_SECRET, OIDC_TEAM_CLAIM="team",
                    SSO_GROUP_ROLES=json.dumps(GROUPS))


def callback_of(client, start="/sign-in/sso"):
    """Start a sign-in and let the provider approve it: the callback's path and query."""
    started = client.get(start)
    assert started.status_code == 303, started.status_code
    approved = requests.get(started.headers["Location"], allow_redirects=False, timeout=10)
    assert approved.status_code == 302, approved.text
    target = urlsplit(approved.headers["Location"])
    assert target.path == "/sign-in/sso/callback"
    return f"{target.path}?{target.query}"


def sign_in(client):
    return client.get(callback_of(client))


def sso_users(db):
    return [user for user in store.fetch_users(db) if store.fetch_user(db, user["id"])[
        "sso_subject"]]


def entries(db, action):
    return audit.fetch_audit(db, {"action": action}, 50, 0)


def assert_refused(response, db, reason, status=400, page=REFUSED):
    text = response.get_data(as_text=True)
    assert response.status_code == status
    assert page in text
    check_page(text)
    assert [entry["detail"]["reason"] for entry in entries(db, "sso_refused")][:1] == [reason]


def assert_signed_out(client):
    response = client.get("/officer/links")
    assert response.status_code in (302, 303)
    assert "/sign-in" in response.headers["Location"]


def test_the_sign_in_request_uses_pkce_state_and_nonce(client, provider):
    query = parse_qs(urlsplit(client.get("/sign-in/sso").headers["Location"]).query)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == [CLIENT_ID]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert query["redirect_uri"] == ["https://feedback.example.test/sign-in/sso/callback"]
    assert "openid" in query["scope"][0].split()


def test_a_first_sign_in_makes_an_officer_with_the_team_of_the_claims(client, db, provider):
    response = sign_in(client)
    assert response.status_code == 303
    assert client.get(response.headers["Location"]).headers["Location"] == "/officer/links"
    [user] = sso_users(db)
    stored = store.fetch_user(db, user["id"])
    assert (stored["email"], stored["role"], stored["team"]) == (
        "sso.officer@example.com", "officer", "Response Team 2")
    assert (stored["sso_issuer"], stored["sso_subject"]) == (provider.issuer, "subject-1")
    assert stored["password_hash"] == ""
    assert client.get("/officer/links").status_code == 200
    [created] = entries(db, "account_created")
    assert created["subject"] == str(user["id"]) and created["detail"]["role"] == "officer"
    [signed_in] = entries(db, "sign_in")
    assert signed_in["user_id"] == user["id"]
    assert signed_in["detail"] == {"method": "single sign-on"}


def test_a_group_the_admin_mapped_gives_its_role(client, db, provider):
    provider.claims = {"roles": ["Some Other Group", "Feedback Trainers"]}
    assert client.get(sign_in(client).headers["Location"]).headers["Location"] == "/trainer/"
    [user] = sso_users(db)
    assert (user["role"], user["team"]) == ("trainer", "")


def test_of_several_roles_the_one_with_most_access_wins(client, db, provider):
    provider.claims = {"roles": ["officer", "Feedback Admins"]}
    sign_in(client)
    assert [user["role"] for user in sso_users(db)] == ["admin"]


def test_each_sign_in_brings_role_and_team_up_to_date(app, db, provider):
    sign_in(app.test_client())
    provider.claims = {"roles": ["Feedback Trainers"], "team": "response team 9",
                       "email": "renamed@example.com"}
    assert sign_in(app.test_client()).status_code == 303
    [user] = sso_users(db)
    assert (user["email"], user["role"], user["team"]) == (
        "renamed@example.com", "trainer", "response team 9")
    assert entries(db, "role_changed")[0]["detail"] == {
        "from": "officer", "to": "trainer", "by": "single sign-on"}
    assert entries(db, "team_changed")[0]["detail"]["to"] == ["response team 9", ""]


def test_a_team_is_spelled_as_the_existing_one(client, db, make_user, provider):
    make_user("local@example.com", team="Response Team 2")
    provider.claims = {"roles": ["officer"], "team": "response  team 2"}
    sign_in(client)
    assert [user["team"] for user in sso_users(db)] == ["Response Team 2"]


def test_someone_with_no_mapped_role_gets_a_calm_page_and_no_account(client, db, provider):
    provider.claims = {"roles": ["Canteen Staff"]}
    assert_refused(sign_in(client), db, "no role", status=403, page=NO_ACCESS)
    assert sso_users(db) == []
    assert_signed_out(client)


@pytest.mark.parametrize(("fault", "reason"), [
    ("bad_signature", "signature"),
    ("wrong_audience", "audience"),
    ("wrong_issuer", "issuer"),
    ("expired", "expired"),
    ("no_nonce", "nonce"),
    ("unknown_kid", "unknown key"),
    ("hs256", "malformed"),
    ("no_signature", "malformed"),
])
def test_a_wrong_id_token_is_refused_calmly(client, db, provider, fault, reason):
    provider.fault = fault
    assert_refused(sign_in(client), db, reason)
    assert sso_users(db) == []
    assert entries(db, "sign_in") == []
    assert_signed_out(client)


def test_a_nonce_from_an_earlier_sign_in_is_refused(app, db, provider):
    sign_in(app.test_client())
    provider.fault = "old_nonce"
    client = app.test_client()
    assert_refused(sign_in(client), db, "nonce")
    assert len(entries(db, "sign_in")) == 1
    assert_signed_out(client)


def test_an_unknown_key_id_fetches_the_keys_once_more_then_refuses(client, db, provider):
    provider.fault = "unknown_kid"
    assert_refused(sign_in(client), db, "unknown key")
    assert provider.jwks_fetches == 2


def test_a_rotated_key_is_fetched_and_accepted(app, db, provider):
    assert sign_in(app.test_client()).status_code == 303
    provider.rotate()
    client = app.test_client()
    assert sign_in(client).status_code == 303
    assert provider.jwks_fetches == 2
    assert client.get("/officer/links").status_code == 200


def test_a_replayed_callback_is_refused(app, db, provider):
    client = app.test_client()
    callback = callback_of(client)
    assert client.get(callback).status_code == 303
    assert_refused(client.get(callback), db, "state")
    other = app.test_client()
    assert_refused(other.get(callback), db, "state")
    assert_signed_out(other)
    assert len(entries(db, "sign_in")) == 1


def test_a_state_is_used_once_even_when_its_sign_in_was_refused(client, db, provider):
    provider.fault = "bad_signature"
    callback = callback_of(client)
    assert_refused(client.get(callback), db, "signature")
    provider.fault = None
    assert_refused(client.get(callback), db, "state")
    assert sso_users(db) == []


@pytest.mark.parametrize("change", ["missing", "another"])
def test_a_callback_with_a_missing_or_wrong_state_is_refused(client, db, provider, change):
    path, _, query = callback_of(client).partition("?")
    params = {name: values[0] for name, values in parse_qs(query).items()}
    if change == "missing":
        del params["state"]
    else:
        params["state"] = "x" * 43
    assert_refused(client.get(path, query_string=params), db, "state")
    assert sso_users(db) == []


def test_a_code_the_provider_did_not_issue_is_refused(client, db, provider):
    path, _, query = callback_of(client).partition("?")
    params = {name: values[0] for name, values in parse_qs(query).items()}
    assert_refused(client.get(path, query_string={**params, "code": "forged"}), db, "code")
    assert sso_users(db) == []


def test_the_provider_saying_no_is_refused_calmly(client, db, provider):
    state = parse_qs(urlsplit(client.get("/sign-in/sso").headers["Location"]).query)["state"][0]
    response = client.get("/sign-in/sso/callback",
                          query_string={"error": "access_denied", "state": state})
    assert_refused(response, db, "provider said no")


def test_a_disabled_account_cannot_sign_in_through_sso(app, db, provider, pinned_clock):
    sign_in(app.test_client())
    [user] = sso_users(db)
    staff.set_disabled(db, user["id"], True, COMMAND_LINE, pinned_clock.now())
    client = app.test_client()
    assert_refused(sign_in(client), db, "account disabled", status=403)
    assert entries(db, "sso_refused")[0]["user_id"] == user["id"]
    assert len(entries(db, "sign_in")) == 1
    assert_signed_out(client)


def test_an_address_a_local_account_has_is_not_taken_over(client, db, make_user, provider):
    local = make_user("sso.officer@example.com", role="admin")
    assert_refused(sign_in(client), db, "address used by another account", status=403)
    assert sso_users(db) == []
    assert store.fetch_user(db, local["id"])["role"] == "admin"


def test_the_sign_in_page_offers_both_ways_in(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert 'href="/sign-in/sso"' in page
    assert 'name="password"' in page
    check_page(page)


def test_signing_out_ends_the_session_and_offers_the_providers_sign_out(client, provider):
    sign_in(client)
    page = client.get("/officer/links").get_data(as_text=True)
    response = client.post("/sign-out", data={"csrf_token": csrf_token(page)})
    assert response.headers["Location"] == "/signed-out"
    assert_signed_out(client)
    signed_out = client.get("/signed-out").get_data(as_text=True)
    check_page(signed_out)
    link = signed_out.split('class="button" href="')[1].split('"')[0].replace("&amp;", "&")
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{provider.issuer}/logout"
    assert parse_qs(parts.query) == {
        "client_id": [CLIENT_ID],
        "post_logout_redirect_uri": ["https://feedback.example.test/sign-in"]}


def test_a_provider_that_does_not_answer_is_a_calm_503(make_app, db):
    app = make_app(OIDC_ISSUER="http://127.0.0.1:9", OIDC_CLIENT_ID=CLIENT_ID,
                   OIDC_CLIENT_SECRET=CLIENT_SECRET, OIDC_TIMEOUT_SECONDS="1")
    response = app.test_client().get("/sign-in/sso")
    assert response.status_code == 503
    assert "Signing in is not available at the moment" in response.get_data(as_text=True)


def test_sso_only_refuses_passwords_calmly(app, make_app, make_user, db, provider):
    officer = make_user("officer@example.com")
    # A form from before SSO_ONLY was set, with its session: refused all the same.
    before = app.test_client()
    token = csrf_token(before.get("/sign-in").get_data(as_text=True))
    only = make_app(OIDC_ISSUER=provider.issuer, OIDC_CLIENT_ID=CLIENT_ID,
                    OIDC_CLIENT_SECRET=CLIENT_SECRET, SSO_ONLY="1")
    client = only.test_client()
    client.set_cookie("session", before.get_cookie("session").value)
    page = client.get("/sign-in").get_data(as_text=True)
    assert 'name="password"' not in page and 'href="/sign-in/sso"' in page
    check_page(page)
    response = client.post("/sign-in", data={"csrf_token": token, "email": officer["email"],
                                             "password": PASSWORD})
    assert response.status_code == 403
    assert "only accepts your organisation" in response.get_data(as_text=True)
    assert_signed_out(client)
    [failed] = entries(db, "sign_in_failed")
    assert (failed["user_id"], failed["detail"]) == (None, {"reason": "single sign-on only"})
    assert entries(db, "sign_in") == []


def test_without_a_provider_there_is_no_sso(make_app):
    client = make_app().test_client()
    assert client.get("/sign-in/sso").status_code == 404
    assert "/sign-in/sso" not in client.get("/sign-in").get_data(as_text=True)


@pytest.mark.parametrize(("env", "message"), [
    ({"SSO_ONLY": "1"}, "SSO_ONLY=1 needs a provider"),
    ({"OIDC_ISSUER": "https://login.example"}, "set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET"),
    ({"OIDC_ISSUER": "http://login.example", "OIDC_CLIENT_ID": "a",
      "OIDC_CLIENT_SECRET": "b"}, "OIDC_ISSUER must be a full https address"),
    ({"SSO_GROUP_ROLES": '{"Group": "superuser"}'}, "SSO_GROUP_ROLES must be"),
    ({"SSO_GROUP_ROLES": "not json"}, "SSO_GROUP_ROLES must be"),
])
def test_sso_settings_are_checked_at_start_up(tmp_path, env, message):
    base = {"APP_ENV": "production", "SECRET_KEY": "k" * 40,
            "BASE_URL": "https://feedback.example.test"}
    with pytest.raises(ConfigError, match=message):
        from_environment(str(tmp_path), {**base, **env})


def test_starting_sign_ins_is_rate_limited_and_a_success_gives_its_start_back(
        make_app, provider):
    app = make_app(OIDC_ISSUER=provider.issuer, OIDC_CLIENT_ID=CLIENT_ID,
                   OIDC_CLIENT_SECRET=CLIENT_SECRET, RATE_LIMIT_SIGN_IN_ADDRESS="2/15")
    assert sign_in(app.test_client()).status_code == 303  # given back
    client = app.test_client()
    assert [client.get("/sign-in/sso").status_code for _ in range(3)] == [303, 303, 429]


def test_a_flood_of_forged_callbacks_is_limited_before_it_fills_the_log(make_app, db,
                                                                         provider):
    app = make_app(OIDC_ISSUER=provider.issuer, OIDC_CLIENT_ID=CLIENT_ID,
                   OIDC_CLIENT_SECRET=CLIENT_SECRET, RATE_LIMIT_SIGN_IN_ADDRESS="3/15")
    client = app.test_client()
    forged = "/sign-in/sso/callback?code=forged&state=forged"
    assert [client.get(forged).status_code for _ in range(5)] == [400, 400, 400, 429, 429]
    assert len(entries(db, "sso_refused")) == 3


def test_an_sso_account_is_never_offered_a_password(app, db, make_user, provider):
    sign_in(app.test_client())
    [user] = sso_users(db)
    admin_browser = Browser(app.test_client())
    assert admin_browser.sign_in(make_user("admin@example.com", role="admin")["email"]
                                 ).status_code == 303
    account_page = f"/admin/users/{user['id']}"
    page = admin_browser.get(account_page).get_data(as_text=True)
    assert "Active: signs in through single sign-on" in page
    assert "/invitation" not in page
    response = admin_browser.post_form(account_page, {}, action=f"{account_page}/invitation")
    assert response.status_code == 400
    assert store.fetch_user(db, user["id"])["password_hash"] == ""
    [listed] = [row for row in account_store.fetch_users(db) if row["id"] == user["id"]]
    assert (bool(listed["invited"]), bool(listed["sso"])) == (False, True)


@pytest.fixture
def admin_browser(app, make_user):
    browser = Browser(app.test_client())
    admin = make_user("admin@example.com", role="admin")
    assert browser.sign_in(admin["email"]).status_code == 303
    browser.user = admin
    return browser


GROUPS_PAGE = "/admin/single-sign-on"


def test_an_admin_gives_a_group_a_role_and_takes_it_away(app, admin_browser, db, provider):
    response = admin_browser.post_form(GROUPS_PAGE, {"group": " Custody Sergeants ",
                                                     "role": "officer"},
                                       action=f"{GROUPS_PAGE}/groups", status=303)
    assert store.fetch_group_roles(db) == {"Custody Sergeants": "officer"}
    [mapped] = entries(db, "sso_group_mapped")
    assert (mapped["user_id"], mapped["detail"]) == (
        admin_browser.user["id"], {"group": "Custody Sergeants", "role": "officer"})
    page = admin_browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Custody Sergeants" in page and "Feedback Trainers: Trainer" in page

    provider.claims = {"roles": ["Custody Sergeants"]}
    assert sign_in(app.test_client()).status_code == 303
    assert [user["role"] for user in sso_users(db)] == ["officer"]

    admin_browser.post_form(GROUPS_PAGE, {"group": "Custody Sergeants"},
                            action=f"{GROUPS_PAGE}/groups/remove", status=303)
    assert store.fetch_group_roles(db) == {}
    assert entries(db, "sso_group_unmapped")[0]["detail"] == {"group": "Custody Sergeants"}
    client = app.test_client()
    assert_refused(sign_in(client), db, "no role", status=403, page=NO_ACCESS)
    assert_signed_out(client)


def test_the_admins_mapping_wins_over_the_setting(admin_browser, app, db, provider):
    admin_browser.post_form(GROUPS_PAGE, {"group": "Feedback Trainers", "role": "officer"},
                            action=f"{GROUPS_PAGE}/groups", status=303)
    provider.claims = {"roles": ["Feedback Trainers"]}
    sign_in(app.test_client())
    assert [user["role"] for user in sso_users(db)] == ["officer"]


@pytest.mark.parametrize(("form", "message"), [
    ({"group": "  ", "role": "officer"}, "Enter the group&#39;s name or id"),
    ({"group": "x" * 201, "role": "officer"}, "200 characters or fewer"),
    ({"group": "Line\nbreak", "role": "officer"}, "without line breaks"),
    ({"group": "Group", "role": "superuser"}, "Select a role"),
])
def test_a_wrong_group_says_what_to_do_and_stores_nothing(admin_browser, db, form, message):
    response = admin_browser.post_form(GROUPS_PAGE, form, action=f"{GROUPS_PAGE}/groups",
                                       status=400)
    assert message in response.get_data(as_text=True)
    assert store.fetch_group_roles(db) == {}
    assert entries(db, "sso_group_mapped") == []


def test_removing_a_group_nobody_mapped_is_a_400(admin_browser, db):
    admin_browser.post_form(GROUPS_PAGE, {"group": "Nobody"},
                            action=f"{GROUPS_PAGE}/groups/remove", status=400)
    assert entries(db, "sso_group_unmapped") == []


def test_only_admins_see_the_groups_page(app, make_user):
    officer = Browser(app.test_client())
    officer.sign_in(make_user("officer@example.com")["email"])
    officer.get(GROUPS_PAGE, status=403)


def test_without_a_provider_there_is_no_groups_page(make_app, make_user):
    browser = Browser(make_app(OIDC_ISSUER="").test_client())
    browser.sign_in(make_user("admin@example.com", role="admin")["email"])
    browser.get(GROUPS_PAGE, status=404)
    assert GROUPS_PAGE not in browser.get("/admin/users").get_data(as_text=True)


def test_the_callbacks_code_and_state_never_reach_the_log():
    line = ('127.0.0.1 - - [x] "GET /sign-in/sso/callback?code=SECRETCODE&state=SECRETSTATE'
            ' HTTP/1.1"')
    assert redact(line) == (
        '- - - [x] "GET /sign-in/sso/callback?code=[token]&state=[token] HTTP/1.1"')
