-- Bearer tokens of participants (humans, agents, services). Only the SHA-256 of a token is kept: the token itself is
-- shown once, when it is issued, and a request's token is found by its hash. A token is never deleted by the API,
-- only revoked, so the list of a participant's tokens says what was issued and when it stopped working.

create table participant_tokens (
    id text primary key,
    participant_id text not null references participants (id) on delete cascade,
    token_hash bytea not null check (octet_length(token_hash) = 32),
    created_at timestamptz not null default now(),
    -- Null: valid until revoked.
    expires_at timestamptz,
    revoked_at timestamptz
);

-- Authentication looks tokens up by hash; unique, so one hash can never name two tokens.
create unique index participant_tokens_by_hash on participant_tokens (token_hash);

-- A participant's tokens, paged by id (ids sort by creation time).
create index participant_tokens_by_participant on participant_tokens (participant_id, id);
