"""The schema, as sqlite-utils migrations, applied in the order they are defined."""

from sqlite_utils.migrations import Migrations

migrations = Migrations("feedback")


@migrations()
def m001_initial(db):
    db.executescript("""
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('officer', 'trainer', 'admin')),
        team TEXT NOT NULL DEFAULT '',
        borough TEXT NOT NULL DEFAULT '',
        disabled INTEGER NOT NULL DEFAULT 0,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE links (
        id TEXT PRIMARY KEY,
        officer_id INTEGER NOT NULL REFERENCES users(id),
        stage TEXT NOT NULL,
        crime_category TEXT NOT NULL,
        team TEXT NOT NULL,
        borough TEXT NOT NULL,
        language TEXT NOT NULL DEFAULT 'en',
        channel TEXT NOT NULL DEFAULT 'qr',
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        opened INTEGER NOT NULL DEFAULT 0,
        used INTEGER NOT NULL DEFAULT 0,
        revoked INTEGER NOT NULL DEFAULT 0,
        delivery_ref TEXT UNIQUE,
        delivery_status TEXT
    );
    CREATE INDEX links_officer ON links (officer_id, created_at);
    -- No rowid: rows sit in random-id order, so storage order cannot be matched
    -- against the order links were completed.
    CREATE TABLE responses (
        id TEXT PRIMARY KEY,
        survey_id TEXT NOT NULL,
        survey_version INTEGER NOT NULL,
        stage TEXT NOT NULL,
        team TEXT NOT NULL,
        borough TEXT NOT NULL,
        crime_category TEXT NOT NULL,
        channel TEXT NOT NULL,
        language TEXT NOT NULL,
        week TEXT NOT NULL,
        answers TEXT NOT NULL,
        free_text TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX responses_week ON responses (week);
    CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_seen TEXT NOT NULL
    );
    CREATE TABLE exports (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL,
        filters TEXT NOT NULL
    );
    """)


@migrations()
def m002_deliveries(db):
    # One row per message sent, for matching delivery receipts and the per-officer
    # send limit. No recipient, no message body: only that a message went out.
    db.executescript("""
    CREATE TABLE deliveries (
        reference TEXT PRIMARY KEY,
        link_id TEXT NOT NULL REFERENCES links(id) ON DELETE CASCADE,
        officer_id INTEGER NOT NULL REFERENCES users(id),
        channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
        sent_at TEXT NOT NULL
    );
    CREATE INDEX deliveries_officer ON deliveries (officer_id, sent_at);
    """)


@migrations()
def m003_report_counts(db):
    # Running totals for the trainer dashboard, kept in the same transaction as
    # each response, so a dashboard over a million responses reads a few thousand
    # rows. They hold nothing the responses table does not (months are coarser
    # than its weeks). See insight_store.py.
    db.executescript("""
    CREATE TABLE response_counts (
        month TEXT NOT NULL, stage TEXT NOT NULL, team TEXT NOT NULL,
        borough TEXT NOT NULL, crime_group TEXT NOT NULL, channel TEXT NOT NULL,
        language TEXT NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (month, stage, team, borough, crime_group, channel, language)
    ) WITHOUT ROWID;
    CREATE TABLE answer_counts (
        month TEXT NOT NULL, stage TEXT NOT NULL, team TEXT NOT NULL,
        borough TEXT NOT NULL, crime_group TEXT NOT NULL, channel TEXT NOT NULL,
        language TEXT NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (month, stage, team, borough, crime_group, channel, language,
                     question, answer)
    ) WITHOUT ROWID;
    -- "Where to focus" reads one question across every group: this index holds
    -- all it needs, so it never reads the other questions' rows.
    CREATE INDEX answer_counts_question ON answer_counts (question, month, n);
    -- The same answers summed over every attribute: a view with no filter reads
    -- a few hundred rows a month instead of every group's.
    CREATE TABLE answer_totals (
        month TEXT NOT NULL, stage TEXT NOT NULL, question TEXT NOT NULL,
        answer TEXT NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (month, stage, question, answer)
    ) WITHOUT ROWID;
    CREATE INDEX responses_survey_week ON responses (survey_id, week);
    CREATE INDEX links_created ON links (created_at);
    """)


@migrations()
def m010_health_probe(db):
    # One row /healthz rewrites on every check: a real write, so a full disk or a
    # read-only file shows as unhealthy instead of "ok".
    db.executescript("""
    CREATE TABLE health (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        checked_at TEXT NOT NULL
    );
    INSERT INTO health (id, checked_at) VALUES (1, '');
    """)


@migrations()
def m020_rate_limits(db):
    # Counters for feedback.adapters.ratelimit: keys are keyed hashes, rows expire after
    # two windows and are deleted as new ones are added.
    db.executescript("""
    CREATE TABLE rate_limits (
        name TEXT NOT NULL,
        key TEXT NOT NULL,
        window_start INTEGER NOT NULL,
        hits INTEGER NOT NULL,
        expires INTEGER NOT NULL,
        PRIMARY KEY (name, key, window_start)
    ) WITHOUT ROWID;
    CREATE INDEX rate_limits_expires ON rate_limits (expires);
    """)


@migrations()
def m021_audit_log(db):
    # Staff actions only, never victim data. Append-only: the application has
    # no way to change a row, and the trigger refuses it anyway.
    db.executescript("""
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id INTEGER,
        actor TEXT NOT NULL DEFAULT '',
        action TEXT NOT NULL,
        subject TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '{}',
        address TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX audit_log_at ON audit_log (at);
    CREATE INDEX audit_log_action ON audit_log (action, at);
    CREATE INDEX audit_log_user ON audit_log (user_id, at);
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    """)


@migrations()
def m022_invitations(db):
    # One-time set-password links for new accounts. Only the token's hash is kept.
    db.executescript("""
    CREATE TABLE invitations (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_by INTEGER REFERENCES users(id),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE INDEX invitations_user ON invitations (user_id);
    """)


@migrations()
def m023_lockout_window(db):
    # Failures count towards a lock only within LOCKOUT_MINUTES of the first,
    # so the per-client throttle can keep any one client below the threshold.
    db.execute("ALTER TABLE users ADD COLUMN failed_since TEXT")


@migrations()
def m030_survey_codes(db):
    # A digest of each link's typed code (feedback/domain/codes.py), never the code.
    db.executescript("""
    ALTER TABLE links ADD COLUMN code_digest TEXT;
    CREATE UNIQUE INDEX links_code ON links (code_digest);
    """)


@migrations()
def m031_exports_into_the_audit_log(db):
    # Downloads were recorded in a table of their own before the audit log existed;
    # the audit log now records them, so the old entries move there.
    db.executescript("""
    INSERT INTO audit_log (at, user_id, actor, action, detail)
    SELECT exports.created_at, exports.user_id, users.email, 'export', exports.filters
    FROM exports JOIN users ON users.id = exports.user_id ORDER BY exports.id;
    DROP TABLE exports;
    """)


@migrations()
def m032_audit_log_refuses_deletes(db):
    # Only the retention purge deletes entries, and never one of the last 30 days
    # (the shortest RETENTION_AUDIT_DAYS): measured back from the newest entry, not
    # from a clock, which the service keeps to itself (feedback/domain/clock.py). The purge
    # writes its own entry first, so the newest is "now". An `at` that cannot be
    # read as a time is kept too. max(at) compares text, which orders the service's
    # times (UTC, +00:00) correctly and reads the index instead of every row.
    #
    # And at most one "sign-ins refused" entry per client and rate-limit window,
    # however many parallel requests are refused (feedback/adapters/store/audit.py).
    db.executescript("""
    CREATE TRIGGER audit_log_keeps_recent BEFORE DELETE ON audit_log
    WHEN coalesce(julianday(OLD.at) < julianday((SELECT max(at) FROM audit_log), '-30 days'),
                  0) = 0
    BEGIN SELECT RAISE(ABORT, 'the audit log keeps every entry of its last 30 days'); END;
    CREATE UNIQUE INDEX audit_log_refused_once ON audit_log (address, detail)
    WHERE action = 'sign_in_refused';
    """)


@migrations()
def m033_held_responses(db):
    # A submission holds its response here, sealed, with its link's update; a later
    # transaction releases a shuffled batch into responses (feedback/domain/sealing.py).
    # WITHOUT ROWID: the rows are stored in the order of their random ids.
    db.executescript("""
    CREATE TABLE held_responses (
        id TEXT PRIMARY KEY,
        week TEXT NOT NULL,
        sealed TEXT NOT NULL
    ) WITHOUT ROWID;
    """)


@migrations()
def m034_releases(db):
    # Each survey's published month, released once (feedback/domain/privacy/kanon.py, Release); the
    # totals hold only released responses from now on, summed when a month is
    # released, so the running totals kept so far go.
    db.executescript("""
    CREATE TABLE releases (
        stage TEXT NOT NULL,
        month TEXT NOT NULL,
        plan TEXT NOT NULL,
        PRIMARY KEY (stage, month)
    ) WITHOUT ROWID;
    DELETE FROM response_counts;
    DELETE FROM answer_counts;
    DELETE FROM answer_totals;
    """)


@migrations()
def m040_api_clients(db):
    # Case systems that call /api/v1 (feedback/usecases/api_clients.py). A key is kept
    # only as the SHA-256 of its 256 random bits, found by its short visible prefix.
    # api_links says which client made a link: a client sees only its own. Idempotency
    # rows keep a retried call's first answer: a link id, never a recipient.
    db.executescript("""
    CREATE TABLE api_clients (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        scopes TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE api_keys (
        prefix TEXT PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES api_clients(id),
        digest TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        revoked INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX api_keys_client ON api_keys (client_id);
    CREATE TABLE api_links (
        link_id TEXT PRIMARY KEY REFERENCES links(id) ON DELETE CASCADE,
        client_id INTEGER NOT NULL REFERENCES api_clients(id)
    );
    CREATE TABLE api_idempotency (
        client_id INTEGER NOT NULL REFERENCES api_clients(id),
        operation TEXT NOT NULL,
        key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        status INTEGER,
        response TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (client_id, operation, key)
    );
    CREATE INDEX api_idempotency_created ON api_idempotency (created_at);
    """)


@migrations()
def m055_sso_accounts(db):
    # An account made by single sign-on is the provider's (issuer and subject), not
    # an email address's: it has no password (an empty hash never verifies).
    db.executescript("""
    ALTER TABLE users ADD COLUMN sso_issuer TEXT;
    ALTER TABLE users ADD COLUMN sso_subject TEXT;
    CREATE UNIQUE INDEX users_sso ON users (sso_issuer, sso_subject);
    """)


@migrations()
def m056_sso_group_roles(db):
    # An administrator's mapping of the provider's groups to roles (admin pages),
    # beside the SSO_GROUP_ROLES setting.
    db.executescript("""
    CREATE TABLE sso_group_roles (
        group_name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('officer', 'trainer', 'admin'))
    );
    """)


@migrations()
def m060_second_factors(db):
    # A local account's second factor (feedback/domain/second_factor.py): its TOTP secret,
    # sealed with a key derived from SECRET_KEY (never stored as it is), whether the
    # person has confirmed it with a code, and the last time step accepted, so no
    # code is accepted twice. Recovery codes are stored as hashes, each spent once.
    db.executescript("""
    CREATE TABLE second_factors (
        user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        secret TEXT NOT NULL,
        confirmed INTEGER NOT NULL DEFAULT 0,
        last_step INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    CREATE TABLE recovery_codes (
        code_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        used_at TEXT
    );
    CREATE INDEX recovery_codes_user ON recovery_codes (user_id);
    """)
