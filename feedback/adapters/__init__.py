"""Adapters: the service's edges to the outside, behind plain functions. store/ holds
every SQL statement (SQLite and PostgreSQL); delivery/ the email and SMS providers;
ratelimit the counters (Redis or the database); redis_sessions the staff sessions in
Redis; oidc the force's sign-in provider; qr and pdf the renderers. Adapters import
the domain, never use cases or the web."""
