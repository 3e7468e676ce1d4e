"""The second factor's rules, alone (feedback/domain/second_factor.py): which time steps a
code is accepted for, and how recovery codes are made and matched."""

from datetime import timedelta

import pyotp
import pytest

from feedback.domain import second_factor as rules
from tests.dates import NOW

SECRET = pyotp.random_base32()


def code(steps=0, secret=SECRET):
    return pyotp.TOTP(secret).at(NOW, counter_offset=steps)


@pytest.mark.parametrize(("steps", "accepted"), [(-2, False), (-1, True), (0, True), (1, True),
                                                 (2, False)])
def test_the_current_step_and_its_neighbours_are_accepted(steps, accepted):
    found = rules.matching_step(SECRET, code(steps), NOW, 0)
    assert found == (rules.step_at(NOW) + steps if accepted else None)


def test_a_step_at_or_before_the_last_accepted_is_refused():
    current = rules.step_at(NOW)
    assert rules.matching_step(SECRET, code(), NOW, current) is None
    assert rules.matching_step(SECRET, code(-1), NOW, current - 1) is None
    assert rules.matching_step(SECRET, code(), NOW, current - 1) == current


def test_another_secrets_code_is_refused():
    assert rules.matching_step(SECRET, code(secret=pyotp.random_base32()), NOW, 0) is None


def test_steps_are_thirty_seconds_of_unix_time():
    assert rules.step_at(NOW) == int(NOW.timestamp()) // 30
    assert rules.step_at(NOW + timedelta(seconds=30)) == rules.step_at(NOW) + 1


def test_a_code_may_be_typed_with_spaces():
    typed = code()[:3] + " " + code()[3:]
    assert rules.is_totp_code(typed)
    assert rules.matching_step(SECRET, typed, NOW, 0) == rules.step_at(NOW)


def test_recovery_codes_are_ten_different_codes_of_sixteen_plain_characters():
    codes = rules.new_recovery_codes()
    assert len(set(codes)) == 10
    assert all(len(c) == 16 and set(c) <= set("abcdefghjkmnpqrstuvwxyz23456789")
               for c in codes)
    assert not any(rules.is_totp_code(c) for c in codes)


def test_a_recovery_code_matches_however_it_is_typed():
    made = rules.new_recovery_codes()[0]
    for typed in (made, made.upper(), rules.grouped(made), "-".join(rules.grouped(made).split())):
        assert rules.recovery_hash(typed) == rules.recovery_hash(made)
    assert rules.recovery_hash(made) != rules.recovery_hash(made[:-1])


def test_the_set_up_address_names_the_service_and_the_account():
    uri = rules.setup_uri(SECRET, "officer@example.com")
    assert uri.startswith("otpauth://totp/My%20Met%20Service:officer%40example.com?")
    assert f"secret={SECRET}" in uri
    assert "issuer=My%20Met%20Service" in uri
