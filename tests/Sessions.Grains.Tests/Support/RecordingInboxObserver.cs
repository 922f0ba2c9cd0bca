using System.Collections.Concurrent;
using Sessions.Abstractions;

namespace Sessions.Grains.Tests;

/// <summary>An inbox observer on the test's client that keeps every delta in the order it arrived.</summary>
internal sealed class RecordingInboxObserver : IInboxObserver
{
    private readonly ConcurrentQueue<InboxDelta> _deltas = new();

    public IReadOnlyList<InboxDelta> Deltas => [.. _deltas];

    public Task OnInboxChangedAsync(InboxDelta delta)
    {
        _deltas.Enqueue(delta);
        return Task.CompletedTask;
    }
}
