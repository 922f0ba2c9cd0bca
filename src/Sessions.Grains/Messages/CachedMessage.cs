using Sessions.Abstractions;

namespace Sessions.Grains;

/// <summary>
/// A message together with its JSON (as <see cref="SessionsJsonContext"/> writes it), made on first use and then
/// kept: a message in the tail cache is serialized once however often it is read. Used inside grain turns only.
/// </summary>
internal sealed class CachedMessage(ChatMessage message)
{
    private byte[]? _json;

    public ChatMessage Message { get; } = message;

    public byte[] Json => _json ??= System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Message, SessionsJsonContext.Default.ChatMessage);
}
