"""The real Redis on this machine, shared by tests: each takes its own key prefix."""

import secrets

import redis

REDIS = "redis://127.0.0.1:6379/0"


def fresh_prefix(request):
    """A key prefix no other test uses; its keys are deleted when the test ends."""
    prefix = f"test-{secrets.token_hex(6)}:"

    def delete_keys():
        with redis.Redis.from_url(REDIS) as client:
            for key in client.scan_iter(match=prefix + "*"):
                client.delete(key)

    request.addfinalizer(delete_keys)
    return prefix
