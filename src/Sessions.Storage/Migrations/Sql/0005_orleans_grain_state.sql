-- Grain state for the Orleans ADO.NET grain storage provider (Microsoft.Orleans.Persistence.AdoNet).
--
-- One row per grain and state type within a service. The provider identifies a grain by its type name and key
-- (two int8 halves for integer and Guid keys, plus an optional string: a key extension, or the whole key of a
-- string-keyed grain) and adds two int4 hashes of them, computed by its own hasher, to look rows up by.
--
-- version is the ETag. Every write names the version it last saw (none for a grain it never stored) and only
-- succeeds on that version, bumping it; otherwise the statement answers the caller's own version back (or null),
-- which the provider reports as an InconsistentStateException. That is what keeps two activations of one grain
-- (during a split view of the cluster) from overwriting each other. Clearing keeps the row with no payload and a
-- new version; deleting (DeleteStateOnClear) removes it.

create table if not exists orleans_storage (
    service_id text not null,
    grain_type_hash integer not null,
    grain_id_hash integer not null,
    grain_id_n0 bigint not null,
    grain_id_n1 bigint not null,
    grain_type text not null,
    grain_id_extension text,
    payload bytea,
    version integer not null check (version > 0),
    modified_at timestamptz not null default now()
);

-- One row per grain, so that two first writes cannot both insert. A null key extension is a value of its own
-- (nulls not distinct), and the type name and extension enter as digests to keep index entries small however long
-- a key is; the statements compare the columns themselves.
create unique index if not exists orleans_storage_grain
    on orleans_storage (
        service_id, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1, md5(grain_type), md5(grain_id_extension))
    nulls not distinct;

insert into orleansquery (querykey, querytext) values

-- The first write of a grain (no version) inserts at version 1; later ones update the version they name. Only one
-- of the two can apply, and each is a single statement. Answers the new version, or else the caller's own (null
-- for a first write that lost to another).
('WriteToStorageKey', '
with updated as (
    update orleans_storage s
       set payload = @PayloadBinary, version = s.version + 1, modified_at = now()
     where s.service_id = @ServiceId
       and s.grain_type_hash = @GrainTypeHash and s.grain_id_hash = @GrainIdHash
       and s.grain_id_n0 = @GrainIdN0 and s.grain_id_n1 = @GrainIdN1
       and s.grain_type = @GrainTypeString
       and s.grain_id_extension is not distinct from @GrainIdExtensionString
       and s.version = @GrainStateVersion
    returning s.version
), inserted as (
    insert into orleans_storage (
        service_id, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1, grain_type, grain_id_extension,
        payload, version)
    select @ServiceId, @GrainTypeHash, @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeString, @GrainIdExtensionString,
           @PayloadBinary, 1
     where @GrainStateVersion is null
    on conflict do nothing
    returning version
)
select coalesce((select version from updated), (select version from inserted), @GrainStateVersion) as NewGrainStateVersion
'),

-- No row: the grain was never stored. A row without payload: it was cleared (its version still guards writes).
('ReadFromStorageKey', '
select s.payload as PayloadBinary, s.version as Version
  from orleans_storage s
 where s.service_id = @ServiceId
   and s.grain_type_hash = @GrainTypeHash and s.grain_id_hash = @GrainIdHash
   and s.grain_id_n0 = @GrainIdN0 and s.grain_id_n1 = @GrainIdN1
   and s.grain_type = @GrainTypeString
   and s.grain_id_extension is not distinct from @GrainIdExtensionString
'),

-- Answers the new version, or no row when the caller's version is not the stored one.
('ClearStorageKey', '
update orleans_storage s
   set payload = null, version = s.version + 1, modified_at = now()
 where s.service_id = @ServiceId
   and s.grain_type_hash = @GrainTypeHash and s.grain_id_hash = @GrainIdHash
   and s.grain_id_n0 = @GrainIdN0 and s.grain_id_n1 = @GrainIdN1
   and s.grain_type = @GrainTypeString
   and s.grain_id_extension is not distinct from @GrainIdExtensionString
   and s.version = @GrainStateVersion
returning s.version as NewGrainStateVersion
'),

-- Used instead of ClearStorageKey when DeleteStateOnClear is set. Answers the deleted version plus one (the
-- provider only checks that it differs from the caller's), or no row on a version mismatch.
('DeleteStorageKey', '
delete from orleans_storage s
 where s.service_id = @ServiceId
   and s.grain_type_hash = @GrainTypeHash and s.grain_id_hash = @GrainIdHash
   and s.grain_id_n0 = @GrainIdN0 and s.grain_id_n1 = @GrainIdN1
   and s.grain_type = @GrainTypeString
   and s.grain_id_extension is not distinct from @GrainIdExtensionString
   and s.version = @GrainStateVersion
returning s.version + 1 as NewGrainStateVersion
')

on conflict (querykey) do update set querytext = excluded.querytext;
