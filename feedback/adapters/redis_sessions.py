"""Staff sessions in Redis, when REDIS_URL is set: one hash per session (data,
created_at, last_seen) that Redis itself deletes after the idle lifetime.

The database's sessions are in store/sessions.py, and these functions take the
same values: the client first (as the store takes the connection), times as ISO
8601 strings. feedback/web/sessions.py chooses between the two and checks the
absolute lifetime on reading. A Redis that does not answer raises one of
ratelimit.REDIS_FAULTS."""

# Only an existing session is touched: a request racing a sign-out must not
# bring back a key holding nothing but the time.
_TOUCH = """
if redis.call('EXISTS', KEYS[1]) == 1 then
    redis.call('HSET', KEYS[1], 'last_seen', ARGV[1])
    redis.call('EXPIRE', KEYS[1], ARGV[2])
end
"""


def session_key(prefix, id_hash):
    return f"{prefix}session:{id_hash}"


def fetch_session(client, key):
    """{data, created_at, last_seen}, or None."""
    stored = client.hgetall(key)
    return stored if stored.get("data") else None


def save_session(client, key, data, created_at, last_seen, idle_seconds):
    pipeline = client.pipeline()  # MULTI: the values and their lifetime together
    pipeline.hset(key, mapping={"data": data, "created_at": created_at,
                                "last_seen": last_seen})
    pipeline.expire(key, idle_seconds)
    pipeline.execute()


def touch_session(client, key, last_seen, idle_seconds):
    # register_script only hashes the script: Redis loads it on first use.
    client.register_script(_TOUCH)(keys=[key], args=[last_seen, idle_seconds])


def delete_session(client, key):
    client.delete(key)
