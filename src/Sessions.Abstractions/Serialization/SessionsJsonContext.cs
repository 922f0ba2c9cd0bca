using System.Text.Json.Serialization;

namespace Sessions.Abstractions;

/// <summary>
/// The HTTP API's JSON contract of the domain records (snake_case, source-generated): what the gateway writes, and the
/// JSON each message keeps in the tail cache so pages are answered as bytes. Grain calls do not use it: Orleans
/// serializes the records by their <c>[Id]</c>s.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Participant))]
[JsonSerializable(typeof(ChatSession))]
[JsonSerializable(typeof(ChatMessage))]
[JsonSerializable(typeof(MessagePage))]
[JsonSerializable(typeof(Reply))]
[JsonSerializable(typeof(ChunkAck))]
[JsonSerializable(typeof(IReadOnlyList<Reply>))]
[JsonSerializable(typeof(PresenceEntry))]
[JsonSerializable(typeof(IReadOnlyList<PresenceEntry>))]
[JsonSerializable(typeof(InboxPage))]
[JsonSerializable(typeof(InboxEntry))]
[JsonSerializable(typeof(IReadOnlyList<InboxEntry>))]
[JsonSerializable(typeof(InboxSnapshot))]
[JsonSerializable(typeof(InboxDelta))]
public sealed partial class SessionsJsonContext : JsonSerializerContext;
