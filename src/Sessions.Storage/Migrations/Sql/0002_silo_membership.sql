-- Cluster membership on the Orleans ADO.NET clustering scheme (see PostgresMembershipTable): one version row per
-- cluster, bumped by every change of a silo's status or suspicions, and one row per silo generation. Several
-- clusters may share the database; cluster_id keeps them apart.

create table silo_membership_version (
    cluster_id text primary key check (cluster_id <> ''),
    version bigint not null default 0 check (version >= 0),
    updated_at timestamptz not null default now()
);

create table silo_membership (
    cluster_id text not null references silo_membership_version (cluster_id),
    host text not null check (host <> ''),
    port int not null check (port between 0 and 65535),
    -- The silo's start in Unix milliseconds: a restart on the same host and port is a new row.
    generation bigint not null,
    silo_name text not null,
    -- SiloStatus: 1 Joining, 2 Active, 3 ShuttingDown, 4 Dead.
    status smallint not null check (status between 1 and 4),
    start_time timestamptz not null,
    -- Written with the database's clock only (heartbeats), so staleness is judged on one clock.
    iamalive_time timestamptz not null,
    -- [{"suspecter": "host:port@generation", "at": "<ISO 8601 timestamp>"}, ...]
    suspicions jsonb not null default '[]' check (jsonb_typeof(suspicions) = 'array'),
    constraint silo_membership_pkey primary key (cluster_id, host, port, generation)
);
