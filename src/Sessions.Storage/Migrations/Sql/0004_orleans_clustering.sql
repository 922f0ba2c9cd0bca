-- Cluster membership for the Orleans ADO.NET clustering provider (Microsoft.Orleans.Clustering.AdoNet).
--
-- One version row per cluster (the provider calls ClusterOptions.ClusterId the deployment id) and one row per
-- silo generation, a restart at the same address and port being a new generation. The membership protocol
-- rests on the version row: every insert or update of a silo row is a compare-and-swap on it, committing
-- together with the version's bump, or, when the caller read another version, not at all (the statement then
-- answers 0). Heartbeats (iamalive_time) change no version.
--
-- Integers are int4 where the provider sends Int32 parameters and reads with GetInt32. Times are timestamptz:
-- the provider sends UTC DateTimes as DbType.DateTime, which Npgsql maps to timestamptz (it refuses any other
-- kind of DateTime there), and reads them back as UTC.
--
-- Unlike silo_membership (0002, the in-project membership), these tables are written only by the provider.

create table if not exists orleans_membership_version (
    deployment_id text primary key,
    version integer not null default 0 check (version >= 0),
    changed_at timestamptz not null default now()
);

create table if not exists orleans_membership (
    deployment_id text not null references orleans_membership_version (deployment_id),
    address text not null,
    port integer not null,
    generation integer not null,
    silo_name text not null,
    host_name text not null,
    -- Orleans' SiloStatus: 1 Created, 2 Joining, 3 Active, 4 ShuttingDown, 5 Stopping, 6 Dead.
    status integer not null,
    -- The gateway port; 0 when the silo is no gateway. Read with GetInt32, so never null.
    proxy_port integer not null default 0,
    -- 'suspecter,time|suspecter,time' as the provider formats its votes; null or '' when there are none.
    suspect_times text,
    start_time timestamptz not null,
    iamalive_time timestamptz not null,
    constraint orleans_membership_pkey primary key (deployment_id, address, port, generation)
);

-- The two compare-and-swap writes. Each locks its cluster's version row first, so writers of one cluster take
-- turns; a version other than the caller's (checked again after waiting for the lock) returns 0 before
-- anything is written, and the silo row is written before the bump, so a write that finds nothing to do
-- returns 0 with the version untouched. Functions rather than one statement: the steps depend on each other's
-- outcome, which data-modifying CTEs (all run on one snapshot) cannot express.

create or replace function orleans_membership_insert(
    p_deployment_id text,
    p_address text,
    p_port integer,
    p_generation integer,
    p_silo_name text,
    p_host_name text,
    p_status integer,
    p_proxy_port integer,
    p_start_time timestamptz,
    p_iamalive_time timestamptz,
    p_version integer)
returns integer
language plpgsql
as $$
begin
    perform 1
       from orleans_membership_version
      where deployment_id = p_deployment_id and version = p_version
        for update;
    if not found then
        return 0;
    end if;

    -- An existing row for this generation is a lost race, not an error: the caller rereads the table.
    insert into orleans_membership (
        deployment_id, address, port, generation, silo_name, host_name, status, proxy_port, start_time, iamalive_time)
    values (
        p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, coalesce(p_proxy_port, 0),
        p_start_time, p_iamalive_time)
    on conflict on constraint orleans_membership_pkey do nothing;
    if not found then
        return 0;
    end if;

    update orleans_membership_version
       set version = version + 1, changed_at = now()
     where deployment_id = p_deployment_id;
    return 1;
end;
$$;

create or replace function orleans_membership_update(
    p_deployment_id text,
    p_address text,
    p_port integer,
    p_generation integer,
    p_status integer,
    p_suspect_times text,
    p_iamalive_time timestamptz,
    p_version integer)
returns integer
language plpgsql
as $$
begin
    perform 1
       from orleans_membership_version
      where deployment_id = p_deployment_id and version = p_version
        for update;
    if not found then
        return 0;
    end if;

    update orleans_membership
       set status = p_status, suspect_times = p_suspect_times, iamalive_time = p_iamalive_time
     where deployment_id = p_deployment_id
       and address = p_address and port = p_port and generation = p_generation;
    if not found then
        return 0;
    end if;

    update orleans_membership_version
       set version = version + 1, changed_at = now()
     where deployment_id = p_deployment_id;
    return 1;
end;
$$;

insert into orleansquery (querykey, querytext) values

-- Run by every silo at start: creates the cluster's version row unless it exists. Answers 1 if it did.
('InsertMembershipVersionKey', '
with created as (
    insert into orleans_membership_version (deployment_id)
    values (@DeploymentId)
    on conflict (deployment_id) do nothing
    returning 1
)
select count(*)::int as created from created
'),

('InsertMembershipKey', '
select orleans_membership_insert(
    p_deployment_id => @DeploymentId,
    p_address => @Address,
    p_port => @Port,
    p_generation => @Generation,
    p_silo_name => @SiloName,
    p_host_name => @HostName,
    p_status => @Status,
    p_proxy_port => @ProxyPort,
    p_start_time => @StartTime,
    p_iamalive_time => @IAmAliveTime,
    p_version => @Version) as inserted
'),

('UpdateMembershipKey', '
select orleans_membership_update(
    p_deployment_id => @DeploymentId,
    p_address => @Address,
    p_port => @Port,
    p_generation => @Generation,
    p_status => @Status,
    p_suspect_times => @SuspectTimes,
    p_iamalive_time => @IAmAliveTime,
    p_version => @Version) as updated
'),

-- The heartbeat. It changes no version: other silos judge liveness by probing, and read this only to spot
-- silos that stopped updating it.
('UpdateIAmAlivetimeKey', '
update orleans_membership
   set iamalive_time = @IAmAliveTime
 where deployment_id = @DeploymentId
   and address = @Address and port = @Port and generation = @Generation
'),

-- One silo generation with the cluster's version. The version row leads (outer join), so a silo without a row
-- still learns the version; the provider tells the two cases apart by a null StartTime.
('MembershipReadRowKey', '
select v.deployment_id as DeploymentId,
       m.address as Address, m.port as Port, m.generation as Generation,
       m.silo_name as SiloName, m.host_name as HostName, m.status as Status, m.proxy_port as ProxyPort,
       m.suspect_times as SuspectTimes, m.start_time as StartTime, m.iamalive_time as IAmAliveTime,
       v.version as Version
  from orleans_membership_version v
  left join orleans_membership m
    on m.deployment_id = v.deployment_id
   and m.address = @Address and m.port = @Port and m.generation = @Generation
 where v.deployment_id = @DeploymentId
'),

-- The whole table and its version, read on one snapshot so that they agree.
('MembershipReadAllKey', '
select v.deployment_id as DeploymentId,
       m.address as Address, m.port as Port, m.generation as Generation,
       m.silo_name as SiloName, m.host_name as HostName, m.status as Status, m.proxy_port as ProxyPort,
       m.suspect_times as SuspectTimes, m.start_time as StartTime, m.iamalive_time as IAmAliveTime,
       v.version as Version
  from orleans_membership_version v
  left join orleans_membership m on m.deployment_id = v.deployment_id
 where v.deployment_id = @DeploymentId
'),

-- What clients connect to: the gateways of Active silos (the provider passes Status = 3).
('GatewaysQueryKey', '
select m.address as Address, m.proxy_port as ProxyPort, m.generation as Generation
  from orleans_membership m
 where m.deployment_id = @DeploymentId
   and m.status = @Status
   and m.proxy_port > 0
'),

-- Forgets a cluster entirely (its silo rows, then its version row; one statement, so one transaction).
('DeleteMembershipTableEntriesKey', '
with silos as (
    delete from orleans_membership where deployment_id = @DeploymentId
)
delete from orleans_membership_version where deployment_id = @DeploymentId
'),

-- Required by the provider, which uses it only without CleanupDefunctSiloEntryKey below: removes the rows of
-- silos that are not Active and have not sent a heartbeat since the cut-off.
('CleanupDefunctSiloEntriesKey', '
delete from orleans_membership
 where deployment_id = @DeploymentId
   and iamalive_time < @IAmAliveTime
   and status <> 3
'),

-- Optional in the contract; when present the provider prefers it: it reads the table, picks the Dead rows that
-- are older than the cut-off, and deletes each one only if the row still holds what it read (status, start,
-- heartbeat and suspicions), so a row that changed meanwhile is left for a later round. The provider formats no
-- suspicions as null, which the table may hold as null or ''.
('CleanupDefunctSiloEntryKey', '
delete from orleans_membership
 where deployment_id = @DeploymentId
   and address = @Address and port = @Port and generation = @Generation
   and status = 6
   and start_time = @StartTime
   and iamalive_time = @IAmAliveTime
   and coalesce(suspect_times, '''') = coalesce(@SuspectTimes, '''')
')

on conflict (querykey) do update set querytext = excluded.querytext;
