-- Agent webhook registrations. An agent is a participant (kind 'agent'); this row says where its webhook is, how it
-- is signed and how deliveries to it behave. A null setting means "the configured default" (Sessions:Webhooks), so a
-- changed default reaches every agent that did not choose otherwise. The ranges here are the API's hard bounds; the
-- configurable ones (timeout, history) are checked by the gateway.

create table agents (
    participant_id text primary key references participants (id) on delete cascade,
    url text not null check (url <> ''),
    -- Stored as given, not hashed: every delivery is signed with it (HMAC), so it must be readable.
    secret text not null check (secret <> ''),
    -- After a rotation the old secret signs too until it expires (both signatures are sent).
    previous_secret text,
    previous_secret_expires_at timestamptz,
    timeout_ms integer check (timeout_ms >= 1),
    max_attempts integer check (max_attempts between 1 and 100),
    retry_base_delay_ms integer check (retry_base_delay_ms between 1 and 3600000),
    retry_max_delay_ms integer check (retry_max_delay_ms between 1 and 86400000),
    debounce_ms integer check (debounce_ms between 0 and 60000),
    history_mode text not null default 'tail' check (history_mode in ('tail', 'last', 'entire')),
    history_count integer check (history_count >= 1),
    status text not null default 'enabled' check (status in ('enabled', 'disabled')),
    -- Why a disabled agent is disabled: 'gone' (its endpoint answered 410), 'manual' (through the API), ...
    disabled_reason text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint agents_previous_secret_expiry check ((previous_secret is null) = (previous_secret_expires_at is null)),
    constraint agents_retry_delays check (retry_base_delay_ms <= retry_max_delay_ms),
    constraint agents_disabled_reason check (status = 'disabled' or disabled_reason is null)
);
