using System.Text.Json;
using Npgsql;
using Sessions.Abstractions;
using Sessions.Storage.Internal;
using Sessions.Storage.Paging;

namespace Sessions.Storage.Participants;

/// <summary>The <c>participants</c> table. Participants are created once and never change.</summary>
public sealed class ParticipantStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, kind, display_name, metadata, created_at";

    public async Task<Participant?> GetAsync(string id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"select {Columns} from participants where id = $1");
        command.Parameters.Add(Param.Text(id));
        return await ReadSingleAsync(command, ct).ConfigureAwait(false);
    }

    /// <summary>Inserts the participant; returns the stored row (with the database's created_at), or null if the id is taken.</summary>
    public async Task<Participant?> TryInsertAsync(
        string id, ParticipantKind kind, string? displayName, JsonElement? metadata, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            insert into participants (id, kind, display_name, metadata) values ($1, $2, $3, $4)
            on conflict (id) do nothing
            returning {Columns}
            """);
        command.Parameters.Add(Param.Text(id));
        command.Parameters.Add(Param.Text(ParticipantKindColumn.ToText(kind)));
        command.Parameters.Add(Param.Text(displayName));
        command.Parameters.Add(Param.Jsonb(metadata, nameof(metadata)));
        return await ReadSingleAsync(command, ct).ConfigureAwait(false);
    }

    /// <summary>Those of <paramref name="ids"/> that are not participants, in the order given, without repeats.</summary>
    public async Task<IReadOnlyList<string>> FindMissingAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        await using var command = dataSource.CreateCommand("""
            select wanted.id
            from unnest($1::text[]) with ordinality as wanted (id, position)
            where not exists (select 1 from participants p where p.id = wanted.id)
            order by wanted.position
            """);
        command.Parameters.Add(Param.TextArray(ids.Distinct(StringComparer.Ordinal).ToArray()));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var missing = new List<string>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            missing.Add(reader.GetString(0));
        }

        return missing;
    }

    /// <summary>A page of participants by ascending id, starting after <paramref name="cursor"/> (null: the first page).</summary>
    /// <exception cref="InvalidCursorException">The cursor was not issued by this listing.</exception>
    public async Task<ParticipantPage> ListAsync(int limit, string? cursor, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var afterId = cursor is null ? "" : KeysetCursor.ToId(cursor);

        // One row more than asked tells whether another page follows.
        await using var command = dataSource.CreateCommand($"select {Columns} from participants where id > $1 order by id limit $2");
        command.Parameters.Add(Param.Text(afterId));
        command.Parameters.Add(Param.Bigint(limit + 1L));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var participants = new List<Participant>(Math.Min(limit, 1000) + 1);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            participants.Add(Read(reader));
        }

        if (participants.Count <= limit)
        {
            return new ParticipantPage(participants, null);
        }

        participants.RemoveAt(limit);
        return new ParticipantPage(participants, KeysetCursor.FromId(participants[^1].Id));
    }

    private static async Task<Participant?> ReadSingleAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? Read(reader) : null;
    }

    private static Participant Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        ParticipantKindColumn.Parse(reader.GetString(1)),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        JsonColumn.ReadNullable(reader, 3),
        reader.GetFieldValue<DateTimeOffset>(4));
}
