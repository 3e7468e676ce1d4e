import string
from datetime import UTC, datetime, timedelta

import pytest

from feedback.domain import clock
from feedback.domain.links import (
    LinkExpired,
    LinkInvalid,
    LinkRevoked,
    LinkUsed,
    check_usable,
    issue_token,
    link_status,
    new_link_id,
    read_token,
)

KEY = "k" * 40
OLD_KEY = "o" * 40
DAY = 86400
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def fresh_token(keys=(KEY,), issued_at=None):
    link_id = new_link_id()
    return link_id, issue_token(link_id, issued_at or int(clock.now().timestamp()), list(keys))


def test_a_token_reads_back_as_its_link_id():
    link_id, token = fresh_token()
    assert read_token(token, [KEY], 90 * DAY, clock.now()) == link_id


def test_the_token_carries_only_the_random_id_a_timestamp_and_a_signature():
    link_id, token = fresh_token()
    value, timestamp, signature = token.split(".")
    assert value == link_id and len(link_id) == 16
    assert len(signature) == 43  # HMAC-SHA256, URL-safe base64
    assert len(token) <= 70


def test_link_ids_are_random():
    assert len({new_link_id() for _ in range(1000)}) == 1000


def test_the_same_link_gives_the_same_token_so_it_need_not_be_stored():
    link_id = new_link_id()
    assert issue_token(link_id, 1_800_000_000, [KEY]) == issue_token(link_id, 1_800_000_000, [KEY])


def test_a_token_older_than_the_maximum_age_is_expired():
    _, token = fresh_token(issued_at=int(clock.now().timestamp()) - 92 * DAY)
    with pytest.raises(LinkExpired):
        read_token(token, [KEY], 91 * DAY, clock.now())


def test_after_rotation_old_tokens_verify_and_new_ones_use_the_new_key():
    link_id, old_token = fresh_token(keys=[OLD_KEY])
    assert read_token(old_token, [OLD_KEY, KEY], DAY, clock.now()) == link_id
    new_token = issue_token(link_id, int(clock.now().timestamp()), [OLD_KEY, KEY])
    assert read_token(new_token, [KEY], DAY, clock.now()) == link_id
    with pytest.raises(LinkInvalid):
        read_token(new_token, [OLD_KEY], DAY, clock.now())


def test_a_token_signed_with_another_key_is_invalid():
    _, token = fresh_token(keys=["another key" * 4])
    with pytest.raises(LinkInvalid):
        read_token(token, [KEY], DAY, clock.now())


def test_a_token_signed_with_another_salt_is_invalid():
    link_id = new_link_id()
    token = issue_token(link_id, int(clock.now().timestamp()), [KEY], salt="password-reset")
    with pytest.raises(LinkInvalid):
        read_token(token, [KEY], DAY, clock.now())


@pytest.mark.parametrize("token", [
    "", ".", "..", "a.b.c", "x" * 5000, "é" * 30, None, 123, "A" * 16 + ".." + "B" * 43,
])
def test_malformed_tokens_are_invalid(token):
    with pytest.raises(LinkInvalid):
        read_token(token, [KEY], DAY, clock.now())


ALPHABET = string.ascii_letters + string.digits + "-_.=+/%"


def single_character_changes(token):
    for index, original in enumerate(token):
        for replacement in ALPHABET:
            if replacement != original:
                yield token[:index] + replacement + token[index + 1:]
        yield token[:index] + token[index + 1:]  # deletion


@pytest.mark.parametrize("seed", range(3))
def test_no_single_character_change_reads_as_a_different_link(seed):
    link_id, token = fresh_token()
    accepted_other = []
    for variant in single_character_changes(token):
        try:
            read = read_token(variant, [KEY], 90 * DAY, clock.now())
        except (LinkInvalid, LinkExpired):
            continue
        if read != link_id:
            accepted_other.append(variant)
    # itsdangerous accepts a few alternative spellings of a signature (base64
    # padding bits): they must still decode to the same id, which is what the
    # single-use check keys on.
    assert accepted_other == []


def link_row(**overrides):
    return {"used": 0, "revoked": 0, "opened": 0,
            "expires_at": (NOW + timedelta(days=1)).isoformat(), **overrides}


@pytest.mark.parametrize("row, error", [
    (None, LinkInvalid),
    (link_row(used=1), LinkUsed),
    (link_row(revoked=1), LinkRevoked),
    (link_row(expires_at=NOW.isoformat()), LinkExpired),
    (link_row(used=1, revoked=1), LinkUsed),
])
def test_a_stored_link_that_cannot_take_a_response_says_why(row, error):
    with pytest.raises(error):
        check_usable(row, NOW)


def test_a_usable_link_passes():
    check_usable(link_row(), NOW)


@pytest.mark.parametrize("row, status", [
    (link_row(), "not_opened"),
    (link_row(opened=1), "opened"),
    (link_row(opened=1, used=1), "completed"),
    (link_row(revoked=1), "revoked"),
    (link_row(expires_at=(NOW - timedelta(seconds=1)).isoformat()), "expired"),
])
def test_link_status_for_officers(row, status):
    assert link_status(row, NOW) == status
