-- The delivery log of agent webhooks. A delivery is one webhook POST of a seq range of one session to one agent; its
-- id is made by the dispatcher (a version 7 uuid) before the first send and is the `webhook-id` header, so a receiver
-- dedupes retries by it. Every attempt at sending it is a row of webhook_attempts. The message log stays the truth
-- about what was said; this is the truth about what was sent, and lets a dispatcher that lost its state rebuild it.

create table if not exists webhook_deliveries (
    id uuid primary key,
    agent_id text not null references participants (id),
    session_id text not null references chat_sessions (id),
    first_seq bigint not null check (first_seq > 0),
    last_seq bigint not null,
    status text not null check (status in ('pending', 'succeeded', 'failed')),
    attempts integer not null default 0 check (attempts >= 0),
    next_attempt_at timestamptz,
    last_error text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    completed_at timestamptz,
    constraint webhook_deliveries_seq_range check (first_seq <= last_seq),
    -- The state machine in the schema: a pending delivery is waiting for its next attempt and has not completed; a
    -- succeeded or failed one has completed and waits for nothing (until it is requeued, which makes it pending again).
    constraint webhook_deliveries_pending_is_scheduled check ((status = 'pending') = (next_attempt_at is not null)),
    constraint webhook_deliveries_pending_is_open check ((status = 'pending') = (completed_at is null))
);

-- The listings, newest first: by agent (the status filter and the recovery of failed deliveries since a time use the
-- second), by session, and the highest seq delivered per agent and session (a dispatcher's cursor).
create index if not exists webhook_deliveries_by_agent on webhook_deliveries (agent_id, created_at desc, id desc);
create index if not exists webhook_deliveries_by_agent_status on webhook_deliveries (agent_id, status, created_at desc, id desc);
create index if not exists webhook_deliveries_by_session on webhook_deliveries (session_id, created_at desc, id desc);
create index if not exists webhook_deliveries_by_agent_session on webhook_deliveries (agent_id, session_id, last_seq desc);
-- What is due: a sweep finds pending deliveries whose next attempt is overdue (a dispatcher that died with its timer).
create index if not exists webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';

create table if not exists webhook_attempts (
    delivery_id uuid not null references webhook_deliveries (id) on delete cascade,
    attempt integer not null check (attempt >= 1),
    trigger text not null check (trigger in ('scheduled', 'manual')),
    started_at timestamptz not null,
    finished_at timestamptz not null,
    latency_ms integer not null check (latency_ms >= 0),
    http_status integer check (http_status between 100 and 599),
    error text,
    -- The start of the response body, for a person reading the log; the store cuts it to 1 KiB of UTF-8.
    response_excerpt text check (octet_length(response_excerpt) <= 1024),
    constraint webhook_attempts_pkey primary key (delivery_id, attempt)
);
