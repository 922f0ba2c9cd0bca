-- Queues for the Orleans ADO.NET stream provider (Microsoft.Orleans.Streaming.AdoNet), which the agent-dispatch
-- notices can run on instead of memory queues (Sessions:Webhooks:NoticeStream = AdoNet; the default is Memory).
--
-- Each (service, provider, queue) is a queue of serialized batches. A silo's pulling agent takes visible messages,
-- which hides them for VisibilityTimeout and counts the attempt in dequeued; it then confirms them (deleted) or, when
-- its receiver shuts down, releases them (visible again at once). A receipt is "message_id:dequeued", so a
-- confirmation from an attempt that already timed out (the row was taken again since) changes nothing. Messages
-- taken MaxAttempts times, or past their expiry, move to the dead letters, which are removed after their own timeout.
-- The provider passes every timeout in whole seconds.

create table if not exists orleans_stream_messages (
    service_id text not null,
    provider_id text not null,
    queue_id text not null,
    message_id bigint generated always as identity,
    dequeued integer not null default 0,
    visible_on timestamptz not null,
    expires_on timestamptz not null,
    created_on timestamptz not null,
    modified_on timestamptz not null,
    payload bytea not null,
    constraint orleans_stream_messages_pkey primary key (service_id, provider_id, queue_id, message_id)
);

create table if not exists orleans_stream_dead_letters (
    service_id text not null,
    provider_id text not null,
    queue_id text not null,
    message_id bigint not null,
    dequeued integer not null,
    visible_on timestamptz not null,
    expires_on timestamptz not null,
    created_on timestamptz not null,
    modified_on timestamptz not null,
    dead_on timestamptz not null,
    remove_on timestamptz not null,
    payload bytea,
    constraint orleans_stream_dead_letters_pkey primary key (service_id, provider_id, queue_id, message_id)
);

-- When each queue's next eviction is due: the silos poll often, eviction runs once per EvictionInterval.
create table if not exists orleans_stream_queues (
    service_id text not null,
    provider_id text not null,
    queue_id text not null,
    evict_on timestamptz not null,
    constraint orleans_stream_queues_pkey primary key (service_id, provider_id, queue_id)
);

-- Moves up to max_count messages of a queue that are out of attempts or expired (and not hidden by a running
-- attempt) to the dead letters.
create or replace procedure orleans_stream_evict_messages(
    service text, provider text, queue text, max_count integer, max_attempts integer, removal_seconds integer)
language plpgsql
as $$
begin
    with expired as (
        delete from orleans_stream_messages m
         where (m.service_id, m.provider_id, m.queue_id, m.message_id) in (
                select service_id, provider_id, queue_id, message_id
                  from orleans_stream_messages
                 where service_id = service and provider_id = provider and queue_id = queue
                   and visible_on <= now() and (dequeued >= max_attempts or expires_on <= now())
                 order by message_id
                 limit max_count
                   for update skip locked)
        returning m.*
    )
    insert into orleans_stream_dead_letters
        (service_id, provider_id, queue_id, message_id, dequeued, visible_on, expires_on, created_on, modified_on,
         dead_on, remove_on, payload)
    select service_id, provider_id, queue_id, message_id, dequeued, visible_on, expires_on, created_on, modified_on,
           now(), now() + make_interval(secs => removal_seconds), payload
      from expired;
end;
$$;

-- Removes up to max_count dead letters of a queue that are past their removal time.
create or replace procedure orleans_stream_evict_dead_letters(service text, provider text, queue text, max_count integer)
language plpgsql
as $$
begin
    delete from orleans_stream_dead_letters d
     where (d.service_id, d.provider_id, d.queue_id, d.message_id) in (
            select service_id, provider_id, queue_id, message_id
              from orleans_stream_dead_letters
             where service_id = service and provider_id = provider and queue_id = queue and remove_on <= now()
             order by message_id
             limit max_count);
end;
$$;

-- Takes up to max_count visible messages of a queue, oldest first, hiding them for visibility_seconds; first runs the
-- queue's eviction when it is due (the silo that moves evict_on forward runs it). A max_count below 0 means no limit.
create or replace function orleans_stream_take(
    service text, provider text, queue text, max_count integer, max_attempts integer, visibility_seconds integer,
    removal_seconds integer, eviction_seconds integer, eviction_count integer)
returns setof orleans_stream_messages
language plpgsql
as $$
begin
    insert into orleans_stream_queues (service_id, provider_id, queue_id, evict_on)
    values (service, provider, queue, now())
    on conflict on constraint orleans_stream_queues_pkey do nothing;

    update orleans_stream_queues q
       set evict_on = now() + make_interval(secs => eviction_seconds)
     where q.service_id = service and q.provider_id = provider and q.queue_id = queue and q.evict_on <= now();
    if found then
        call orleans_stream_evict_messages(service, provider, queue, eviction_count, max_attempts, removal_seconds);
        call orleans_stream_evict_dead_letters(service, provider, queue, eviction_count);
    end if;

    return query
    with taken as (
        update orleans_stream_messages m
           set dequeued = m.dequeued + 1,
               visible_on = now() + make_interval(secs => visibility_seconds),
               modified_on = now()
         where (m.service_id, m.provider_id, m.queue_id, m.message_id) in (
                select t.service_id, t.provider_id, t.queue_id, t.message_id
                  from orleans_stream_messages t
                 where t.service_id = service and t.provider_id = provider and t.queue_id = queue
                   and t.dequeued < max_attempts and t.visible_on <= now() and t.expires_on > now()
                 order by t.message_id
                 limit case when max_count < 0 then null else max_count end
                   for update skip locked)
        returning m.*
    )
    select * from taken order by message_id;
end;
$$;

insert into orleansquery (querykey, querytext) values

('QueueStreamMessageKey', '
insert into orleans_stream_messages (service_id, provider_id, queue_id, visible_on, expires_on, created_on, modified_on, payload)
values (@ServiceId, @ProviderId, @QueueId, now(), now() + make_interval(secs => @ExpiryTimeout), now(), now(), @Payload)
returning service_id as ServiceId, provider_id as ProviderId, queue_id as QueueId, message_id as MessageId
'),

('GetStreamMessagesKey', '
select service_id as ServiceId, provider_id as ProviderId, queue_id as QueueId, message_id as MessageId,
       dequeued as Dequeued, visible_on as VisibleOn, expires_on as ExpiresOn, created_on as CreatedOn,
       modified_on as ModifiedOn, payload as Payload
  from orleans_stream_take(@ServiceId, @ProviderId, @QueueId, @MaxCount, @MaxAttempts, @VisibilityTimeout,
                           @RemovalTimeout, @EvictionInterval, @EvictionBatchSize)
'),

-- Items is "id:dequeued|id:dequeued|...": a positive receipt confirms (deletes) that attempt''s message, a negative one
-- releases it (visible again now). Answers the messages it acted on.
('ConfirmStreamMessagesKey', '
with receipts as (
    select split_part(item, '':'', 1)::bigint as message_id, split_part(item, '':'', 2)::integer as dequeued
      from unnest(string_to_array(@Items, ''|'')) as item
),
released as (
    update orleans_stream_messages m
       set visible_on = now(), modified_on = now()
      from receipts r
     where m.service_id = @ServiceId and m.provider_id = @ProviderId and m.queue_id = @QueueId
       and r.dequeued < 0 and m.message_id = r.message_id and m.dequeued = -r.dequeued
    returning m.service_id, m.provider_id, m.queue_id, m.message_id
),
confirmed as (
    delete from orleans_stream_messages m
     using receipts r
     where m.service_id = @ServiceId and m.provider_id = @ProviderId and m.queue_id = @QueueId
       and r.dequeued > 0 and m.message_id = r.message_id and m.dequeued = r.dequeued
    returning m.service_id, m.provider_id, m.queue_id, m.message_id
)
select service_id as ServiceId, provider_id as ProviderId, queue_id as QueueId, message_id as MessageId from released
union all
select service_id, provider_id, queue_id, message_id from confirmed
'),

-- A delivery that failed: the message is visible again while it has attempts left, and dead otherwise.
('FailStreamMessageKey', '
with retried as (
    update orleans_stream_messages
       set visible_on = now(), modified_on = now()
     where service_id = @ServiceId and provider_id = @ProviderId and queue_id = @QueueId
       and message_id = @MessageId and dequeued < @MaxAttempts
    returning 1
),
dead as (
    delete from orleans_stream_messages
     where service_id = @ServiceId and provider_id = @ProviderId and queue_id = @QueueId
       and message_id = @MessageId and dequeued >= @MaxAttempts
    returning *
)
insert into orleans_stream_dead_letters
    (service_id, provider_id, queue_id, message_id, dequeued, visible_on, expires_on, created_on, modified_on,
     dead_on, remove_on, payload)
select service_id, provider_id, queue_id, message_id, dequeued, visible_on, expires_on, created_on, modified_on,
       now(), now() + make_interval(secs => @RemovalTimeout), payload
  from dead
'),

('EvictStreamMessagesKey', '
call orleans_stream_evict_messages(@ServiceId, @ProviderId, @QueueId, @MaxCount, @MaxAttempts, @RemovalTimeout)
'),

('EvictStreamDeadLettersKey', '
call orleans_stream_evict_dead_letters(@ServiceId, @ProviderId, @QueueId, @MaxCount)
')

on conflict (querykey) do update set querytext = excluded.querytext;
