using Sessions.Grains.Webhooks;

namespace Sessions.Grains.Tests.Webhooks;

/// <summary>Records what the sender forwarded of a streamed reply, and signals the first chunk the moment it arrives.</summary>
internal sealed class RecordingReplySink : IWebhookReplySink
{
    private readonly List<string> events = [];

    public TaskCompletionSource FirstChunk { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The task scheduler of every call, so a test can tell the sink ran where a grain's would.</summary>
    public List<TaskScheduler> Schedulers { get; } = [];

    public IReadOnlyList<string> Events
    {
        get
        {
            lock (events)
            {
                return [.. events];
            }
        }
    }

    public ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        Record("start");
        return ValueTask.CompletedTask;
    }

    public ValueTask OnChunkAsync(int index, string text, CancellationToken cancellationToken)
    {
        Record($"chunk {index} {text}");
        if (index == 0)
        {
            FirstChunk.TrySetResult();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask OnEndAsync(bool completed, string? error, CancellationToken cancellationToken)
    {
        Record(completed ? "end" : $"broken: {error}");
        return ValueTask.CompletedTask;
    }

    private void Record(string entry)
    {
        lock (events)
        {
            Schedulers.Add(TaskScheduler.Current);
            events.Add(entry);
        }
    }
}
