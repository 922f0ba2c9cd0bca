-- Streamed replies in flight. The chunks live in the session grain's memory; this row is the reply's trace, so a
-- reply whose grain died with its silo is found on the session's next activation and ended (aborted, with the text
-- of its last checkpoint) rather than left streaming forever. A reply's row is deleted when it ends.

create table if not exists chat_replies (
    session_id text not null references chat_sessions (id),
    reply_id text not null check (reply_id <> ''),
    sender_id text not null references participants (id),
    kind text not null,
    metadata jsonb,
    -- The chunks so far, joined, as of the last checkpoint, and how many there were.
    text text not null default '',
    chunk_count integer not null default 0,
    started_at timestamptz not null default now(),
    checkpointed_at timestamptz,
    constraint chat_replies_pkey primary key (session_id, reply_id)
);
