-- Reminders for the Orleans ADO.NET reminder service (Microsoft.Orleans.Reminders.AdoNet).
--
-- One row per grain and reminder name within a service. grain_hash is the grain's uniform hash as the provider
-- sends it: a uint32 cast to int4, so the ring's upper half is negative here; the range statements compare in
-- that signed order, and the provider picks between them the same way. version is the ETag: every upsert bumps
-- it and answers it, and a delete only removes the version its caller read.

create table if not exists orleans_reminders (
    service_id text not null,
    grain_id text not null,
    reminder_name text not null,
    start_time timestamptz not null,
    -- Milliseconds. The provider sends int4 while a period fits, int8 beyond.
    period bigint not null,
    grain_hash integer not null,
    version integer not null,
    constraint orleans_reminders_pkey primary key (service_id, grain_id, reminder_name)
);

-- Each silo reads the reminders of its share of the ring.
create index if not exists orleans_reminders_by_hash on orleans_reminders (service_id, grain_hash);

insert into orleansquery (querykey, querytext) values

-- Inserts at version 0 or replaces the schedule with the next version; answers the row's version.
('UpsertReminderRowKey', '
insert into orleans_reminders as r (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
values (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
on conflict on constraint orleans_reminders_pkey do update
   set start_time = excluded.start_time,
       period = excluded.period,
       grain_hash = excluded.grain_hash,
       version = r.version + 1
returning r.version as Version
'),

('ReadReminderRowsKey', '
select r.grain_id as GrainId, r.reminder_name as ReminderName, r.start_time as StartTime,
       r.period as Period, r.version as Version
  from orleans_reminders r
 where r.service_id = @ServiceId and r.grain_id = @GrainId
'),

('ReadReminderRowKey', '
select r.grain_id as GrainId, r.reminder_name as ReminderName, r.start_time as StartTime,
       r.period as Period, r.version as Version
  from orleans_reminders r
 where r.service_id = @ServiceId and r.grain_id = @GrainId and r.reminder_name = @ReminderName
'),

-- A range (BeginHash, EndHash] that does not wrap: the provider uses it when BeginHash < EndHash as int4.
('ReadRangeRows1Key', '
select r.grain_id as GrainId, r.reminder_name as ReminderName, r.start_time as StartTime,
       r.period as Period, r.version as Version
  from orleans_reminders r
 where r.service_id = @ServiceId
   and r.grain_hash > @BeginHash and r.grain_hash <= @EndHash
'),

-- A range that wraps past the end of the ring (or is all of it, when BeginHash = EndHash).
('ReadRangeRows2Key', '
select r.grain_id as GrainId, r.reminder_name as ReminderName, r.start_time as StartTime,
       r.period as Period, r.version as Version
  from orleans_reminders r
 where r.service_id = @ServiceId
   and (r.grain_hash > @BeginHash or r.grain_hash <= @EndHash)
'),

-- Answers 1 when the row was removed, 0 when it is gone or holds another version than the caller read.
('DeleteReminderRowKey', '
with removed as (
    delete from orleans_reminders
     where service_id = @ServiceId and grain_id = @GrainId and reminder_name = @ReminderName
       and version = @Version
    returning 1
)
select count(*)::int as removed from removed
'),

('DeleteReminderRowsKey', '
delete from orleans_reminders where service_id = @ServiceId
')

on conflict (querykey) do update set querytext = excluded.querytext;
