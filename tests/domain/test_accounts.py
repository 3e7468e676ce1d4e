"""Password hashing at its real cost (other tests share one precomputed hash)."""

from argon2 import extract_parameters

from feedback.domain import accounts


def test_passwords_are_hashed_with_argon2id_at_the_rfc_9106_low_memory_profile():
    stored = accounts.hash_password("correct horse battery staple")
    parameters = extract_parameters(stored)
    assert stored.startswith("$argon2id$v=19$")
    # OWASP's minimums for argon2id are 19 MiB with t=2; this is well above them.
    assert (parameters.memory_cost, parameters.time_cost, parameters.parallelism) == (
        65536, 3, 4)
    assert parameters.salt_len >= 16 and parameters.hash_len >= 32


def test_the_same_password_hashes_differently_each_time_and_verifies():
    first = accounts.hash_password("correct horse battery staple")
    second = accounts.hash_password("correct horse battery staple")
    assert first != second
    assert accounts.verify_password(first, "correct horse battery staple")
    assert not accounts.verify_password(first, "correct horse battery stapler")
