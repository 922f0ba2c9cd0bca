using System.Collections.Concurrent;
using System.Text.Json;
using Sessions.Abstractions;

namespace Sessions.Grains.Tests;

/// <summary>A session observer on the test's client that keeps every event in the order it arrived.</summary>
internal sealed class RecordingSessionObserver : ISessionObserver
{
    private readonly ConcurrentQueue<SessionEvent> _events = new();

    private ISessionObserver? _reference;

    public IReadOnlyList<SessionEvent> Events => [.. _events];

    /// <summary>The presence events so far, as their payloads say.</summary>
    public IReadOnlyList<PresenceEntry> Presence =>
        [.. Events.Where(e => e.Kind == SessionEventKind.Presence).Select(e => JsonSerializer.Deserialize(e.Utf8Json, SessionsJsonContext.Default.PresenceEntry)!)];

    /// <summary>Subscribes a new recorder to <paramref name="session"/> (held with the grain's observer expiry).</summary>
    public static async Task<RecordingSessionObserver> SubscribeAsync(ChatSilo silo, IChatSessionGrain session)
    {
        var observer = new RecordingSessionObserver();
        observer._reference = silo.Grains.CreateObjectReference<ISessionObserver>(observer);
        await session.SubscribeAsync(observer._reference);
        return observer;
    }

    public Task OnSessionEventAsync(SessionEvent sessionEvent)
    {
        _events.Enqueue(sessionEvent);
        return Task.CompletedTask;
    }
}
