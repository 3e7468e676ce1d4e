"""Every SQL statement of the service (tests/test_layers.py checks none is written
elsewhere). Functions take the database first and return plain dicts; times are
ISO 8601 strings in UTC. One module per subject; the package re-exports the
functions most callers need (`from feedback.adapters import store`, then
`store.<function>`), and the rest are imported from their module (accounts,
links, insights, audit)."""

from feedback.adapters.store.accounts import (  # noqa: F401
    count_login_attempt,
    create_sso_user,
    create_user,
    delete_group_role,
    fetch_group_roles,
    fetch_names,
    fetch_teams,
    fetch_user,
    fetch_user_by_email,
    fetch_user_by_sso,
    fetch_users,
    lock_user,
    record_successful_login,
    rename_team,
    save_group_role,
    save_password_hash,
    set_disabled,
    unlock_user,
    update_sso_user,
)
from feedback.adapters.store.api import (  # noqa: F401
    add_api_key,
    add_api_link,
    claim_idempotency_key,
    create_api_client,
    fetch_api_client,
    fetch_api_clients,
    fetch_api_key,
    fetch_client_link,
    fetch_idempotency_key,
    finish_idempotency_key,
    purge_idempotency_keys,
    release_idempotency_key,
    revoke_api_client,
    revoke_api_keys,
)
from feedback.adapters.store.connection import (  # noqa: F401
    _one,
    _rows,
    applied_migrations,
    connect,
    is_postgres,
    known_migrations,
    prepare,
    probe_health,
    upgrade,
)
from feedback.adapters.store.errors import (  # noqa: F401
    REFUSED_INPUT,
    STORAGE_FAULTS,
    DatabaseDamaged,
    DatabaseFault,
    DatabaseUnavailable,
    ServerUnavailable,
)
from feedback.adapters.store.links import (  # noqa: F401
    create_link,
    fetch_delivery_link,
    fetch_link,
    fetch_link_by_code,
    fetch_link_state,
    fetch_officer_link,
    insert_response,
    load_responses,
    mark_link_opened,
    mark_link_used,
    record_delivery,
    release_send,
    reserve_send,
    revoke_link,
    save_response,
    set_delivery_status,
)
from feedback.adapters.store.pending import count_held, release_held  # noqa: F401
from feedback.adapters.store.ratelimits import (  # noqa: F401
    count_rate_limit_hit,
    count_rate_limits,
    prune_rate_limits,
    rate_limit_hits,
    refund_rate_limit_hit,
)
from feedback.adapters.store.responses import (  # noqa: F401
    count_responses,
    fetch_response_text,
    forget_replaced_text,
    replace_response_text,
)
from feedback.adapters.store.schema import (  # noqa: F401
    migrations,
)
from feedback.adapters.store.second_factors import (  # noqa: F401
    accept_step,
    add_unconfirmed_factor,
    confirm_factor,
    count_unused_recovery_codes,
    delete_factor,
    fetch_factor,
    reseal_factor,
    spend_recovery_code,
)
from feedback.adapters.store.sessions import (  # noqa: F401
    delete_session,
    fetch_session,
    purge,
    save_session,
    touch_session,
)
from feedback.adapters.store.sqlite import (  # noqa: F401
    MIN_FREE_BYTES,
    backup,
    check_integrity,
)
