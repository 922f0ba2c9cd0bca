using System.Text.Json;
using Npgsql;
using Sessions.Abstractions;
using Sessions.Storage.Messages;
using Sessions.Storage.Participants;
using Sessions.Storage.Sessions;

namespace Sessions.Storage.Tests.Support;

/// <summary>Rows with unique ids, so tests sharing a database never see each other's data.</summary>
public sealed class Seed(NpgsqlDataSource dataSource)
{
    public ParticipantStore Participants { get; } = new(dataSource);

    public SessionStore Sessions { get; } = new(dataSource);

    public MessageStore Messages { get; } = new(dataSource);

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    public async Task<string> ParticipantAsync(ParticipantKind kind = ParticipantKind.Human)
    {
        var id = NewId(kind.ToString().ToLowerInvariant());
        _ = await Participants.TryInsertAsync(id, kind, null, null, CancellationToken.None) ?? throw new InvalidOperationException("id taken");
        return id;
    }

    public async Task<ChatSession> SessionAsync(string? initiatorId = null, string? peerId = null, string? agentId = null)
    {
        var command = new CreateSessionCommand(
            initiatorId ?? await ParticipantAsync(), peerId ?? await ParticipantAsync(), agentId, "support", null, null);
        return await Sessions.TryInsertAsync(NewId("session"), command, CancellationToken.None)
            ?? throw new InvalidOperationException("id taken");
    }

    public static NewMessage Message(ChatSession session, string? clientMessageId = null, string content = """{"text":"hi"}""") =>
        new(Guid.CreateVersion7(), session.Id, session.InitiatorId, "text", Json(content), null, clientMessageId);

    /// <summary>Appends <paramref name="count"/> messages to a fresh session and returns it.</summary>
    public async Task<ChatSession> SessionWithMessagesAsync(int count)
    {
        var session = await SessionAsync();
        for (var seq = 0; seq < count; seq++)
        {
            var outcome = await Messages.TryAppendAsync(Message(session, content: $$"""{"n":{{seq + 1}}}"""), seq, CancellationToken.None);
            Assert.IsType<AppendOutcome.Appended>(outcome);
        }

        return session;
    }
}
