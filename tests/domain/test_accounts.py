"""Account rules: password hashing at its real cost (other tests hash at argon2's
lowest, tests/conftest.py), and the team and borough names."""

import pytest
from argon2 import extract_parameters

from feedback.domain import accounts
from tests import team_names


@pytest.mark.real_password_hashing
def test_passwords_are_hashed_with_argon2id_at_the_rfc_9106_low_memory_profile():
    stored = accounts.hash_password("correct horse battery staple")
    parameters = extract_parameters(stored)
    assert stored.startswith("$argon2id$v=19$")
    # OWASP's minimums for argon2id are 19 MiB with t=2; this is well above them.
    assert (parameters.memory_cost, parameters.time_cost, parameters.parallelism) == (
        65536, 3, 4)
    assert parameters.salt_len >= 16 and parameters.hash_len >= 32


@pytest.mark.real_password_hashing
def test_the_same_password_hashes_differently_each_time_and_verifies():
    first = accounts.hash_password("correct horse battery staple")
    second = accounts.hash_password("correct horse battery staple")
    assert first != second
    assert accounts.verify_password(first, "correct horse battery staple")
    assert not accounts.verify_password(first, "correct horse battery stapler")


@pytest.mark.parametrize("name, message", team_names.REFUSED)
def test_a_team_or_borough_name_that_is_not_plain_text_is_refused(name, message):
    with pytest.raises(accounts.InvalidAccountDetail) as refused:
        accounts.check_name("Team", name)
    assert message in str(refused.value)


@pytest.mark.parametrize("team, borough", team_names.ACCEPTED)
def test_a_plain_team_or_borough_name_is_taken_trimmed(team, borough):
    assert accounts.check_name("Team", f"  {team} ") == team
    assert accounts.check_name("Borough", borough) == borough
