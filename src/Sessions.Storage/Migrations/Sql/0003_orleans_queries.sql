-- The statement table of the Orleans ADO.NET providers (clustering, grain persistence, reminders).
--
-- The providers ship no SQL. At start each one reads its statements from here, with exactly
--     select QueryKey, QueryText from OrleansQuery
-- and refuses to start when a key it needs is missing. So this table's name and its two columns are the
-- providers' (unquoted, PostgreSQL folds them to lower case); the tables and functions the statements use are
-- ours (0004 clustering, 0005 grain state, 0006 reminders). The statements name the providers' parameters as
-- @Name placeholders, which Npgsql binds by name, and alias their result columns to the names the providers
-- read back (Npgsql finds a column by name case-insensitively when there is no exact match).
--
-- Which Orleans release's contract these rows implement: Sessions.Storage.Migrations.OrleansSchema.PackageVersion.
-- Later migrations that change a statement upsert its row (on conflict (querykey) do update).

create table if not exists orleansquery (
    querykey varchar(64) primary key,
    querytext text not null
);
