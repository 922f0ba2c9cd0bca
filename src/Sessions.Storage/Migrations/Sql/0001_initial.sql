-- Participants, sessions, their message logs and read cursors.
-- Ids are text chosen by clients (non-empty: keyset paging starts "after ''"); message ids are uuids.

create table participants (
    id text primary key check (id <> ''),
    kind text not null check (kind in ('human', 'agent', 'system')),
    display_name text,
    metadata jsonb,
    created_at timestamptz not null default now()
);

create table chat_sessions (
    id text primary key check (id <> ''),
    initiator_id text not null references participants (id),
    peer_id text not null references participants (id),
    agent_id text references participants (id),
    kind text not null,
    status text not null check (status in ('active', 'idle', 'suspended', 'completed', 'failed', 'closed')),
    metadata jsonb,
    task_id text,
    -- The head of the message log. An append is a compare-and-swap on it (see MessageStore).
    last_seq bigint not null default 0 check (last_seq >= 0),
    last_message_id uuid,
    last_message_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint chat_sessions_two_participants check (initiator_id <> peer_id)
);

-- Listing a participant's sessions newest first, whichever role it has.
create index chat_sessions_by_initiator on chat_sessions (initiator_id, created_at desc, id desc);
create index chat_sessions_by_peer on chat_sessions (peer_id, created_at desc, id desc);
create index chat_sessions_by_agent on chat_sessions (agent_id, created_at desc, id desc) where agent_id is not null;

create table chat_messages (
    id uuid not null,
    session_id text not null references chat_sessions (id),
    seq bigint not null check (seq > 0),
    sender_id text not null references participants (id),
    kind text not null,
    content jsonb not null,
    metadata jsonb,
    client_message_id text,
    created_at timestamptz not null default now(),
    constraint chat_messages_pkey primary key (session_id, seq),
    constraint chat_messages_id_key unique (id),
    -- Idempotent appends: MessageStore recognizes this constraint by name.
    constraint chat_messages_client_message_id_key unique (session_id, client_message_id)
);

create table read_cursors (
    session_id text not null references chat_sessions (id),
    participant_id text not null references participants (id),
    last_read_seq bigint not null default 0 check (last_read_seq >= 0),
    updated_at timestamptz not null default now(),
    constraint read_cursors_pkey primary key (session_id, participant_id)
);
