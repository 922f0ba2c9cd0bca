using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sessions.Abstractions;

/// <summary>
/// The source-generated JSON contract of every DTO: snake_case names, used both for grain calls
/// (arguments and results are copied through it) and for the HTTP API.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Participant))]
[JsonSerializable(typeof(ChatSession))]
[JsonSerializable(typeof(CreateSessionCommand))]
[JsonSerializable(typeof(ChatMessage))]
[JsonSerializable(typeof(AppendMessageCommand))]
[JsonSerializable(typeof(AppendResult))]
[JsonSerializable(typeof(MessageQuery))]
[JsonSerializable(typeof(MessagePage))]
[JsonSerializable(typeof(SessionStatus))]
[JsonSerializable(typeof(IReadOnlyList<ChatMessage>))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(bool))]
public sealed partial class SessionsJsonContext : JsonSerializerContext;
