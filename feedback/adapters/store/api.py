"""API clients, their keys, the links each made, and idempotent calls' first answers."""

from feedback.adapters.store.connection import _one, _rows


def create_api_client(db, name, scopes, now):
    """The new client's id. scopes: a space-separated list."""
    return _one(db, "INSERT INTO api_clients (name, scopes, created_at) VALUES (?, ?, ?)"
                    " RETURNING id", [name, scopes, now.isoformat()])["id"]


def fetch_api_client(db, name):
    return _one(db, "SELECT * FROM api_clients WHERE name = ?", [name])


def fetch_api_clients(db, client_id=None):
    """Every client (or the one with this id), by name, once for each of its live keys
    (once with no key if none)."""
    where, params = ("WHERE c.id = ?", [client_id]) if client_id is not None else ("", [])
    return list(_rows(
        db, "SELECT c.id, c.name, c.scopes, c.revoked, k.prefix, k.expires_at"  # noqa: S608
            " FROM api_clients c LEFT JOIN api_keys k ON k.client_id = c.id AND k.revoked = 0"
            f" {where} ORDER BY c.name, k.expires_at", params))


def add_api_key(db, client_id, prefix, digest, now, expires_at):
    db.execute("INSERT INTO api_keys (prefix, client_id, digest, created_at, expires_at)"
               " VALUES (?, ?, ?, ?, ?)",
               [prefix, client_id, digest, now.isoformat(), expires_at.isoformat()])


def revoke_api_keys(db, client_id, keep=""):
    """Revoke every key of the client but `keep`; how many were still live."""
    return db.execute("UPDATE api_keys SET revoked = 1 WHERE client_id = ? AND prefix <> ?"
                      " AND revoked = 0", [client_id, keep]).rowcount


def revoke_api_client(db, client_id):
    db.execute("UPDATE api_clients SET revoked = 1 WHERE id = ?", [client_id])
    revoke_api_keys(db, client_id)


def fetch_api_key(db, prefix):
    """The key with its client's name, scopes and state, or None."""
    return _one(db, "SELECT k.prefix, k.digest, k.expires_at, k.revoked, k.client_id,"
                    " c.name, c.scopes, c.revoked AS client_revoked FROM api_keys k"
                    " JOIN api_clients c ON c.id = k.client_id WHERE k.prefix = ?", [prefix])


def add_api_link(db, link_id, client_id):
    db.execute("INSERT INTO api_links (link_id, client_id) VALUES (?, ?)", [link_id, client_id])


def fetch_client_link(db, client_id, link_id):
    """The link, if this client made it."""
    return _one(db, "SELECT links.* FROM links JOIN api_links ON api_links.link_id = links.id"
                    " WHERE links.id = ? AND api_links.client_id = ?", [link_id, client_id])


def claim_idempotency_key(db, client_id, operation, key, fingerprint, now):
    """Take the key for a first call: False if a call with it came first (from any
    worker or instance: the primary key decides)."""
    return db.execute(
        "INSERT INTO api_idempotency (client_id, operation, key, fingerprint, created_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [client_id, operation, key, fingerprint, now.isoformat()]).rowcount == 1


def fetch_idempotency_key(db, client_id, operation, key):
    return _one(db, "SELECT fingerprint, status, response FROM api_idempotency"
                    " WHERE client_id = ? AND operation = ? AND key = ?",
                [client_id, operation, key])


def finish_idempotency_key(db, client_id, operation, key, status, response):
    db.execute("UPDATE api_idempotency SET status = ?, response = ?"
               " WHERE client_id = ? AND operation = ? AND key = ?",
               [status, response, client_id, operation, key])


def release_idempotency_key(db, client_id, operation, key):
    """The first call failed before changing anything: a retry may try again."""
    db.execute("DELETE FROM api_idempotency WHERE client_id = ? AND operation = ? AND key = ?"
               " AND status IS NULL", [client_id, operation, key])


def purge_idempotency_keys(db, before):
    return db.execute("DELETE FROM api_idempotency WHERE created_at < ?", [before]).rowcount
