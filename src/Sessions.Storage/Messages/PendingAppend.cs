using Sessions.Storage.Internal;

namespace Sessions.Storage.Messages;

/// <summary>
/// One caller's append waiting in <see cref="AppendBatcher"/>: the message with its JSON already rendered (so a bad
/// value fails its own caller, not the batch), and the caller's outcome to complete. A caller can cancel only while
/// the append is queued; once a batch has taken it, it gets the true outcome of the statement that carries it.
/// </summary>
internal sealed class PendingAppend
{
    private const int Queued = 0;
    private const int Taken = 1;
    private const int Cancelled = 2;

    private readonly TaskCompletionSource<AppendOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenRegistration _cancellation;
    private int _state;

    public PendingAppend(NewMessage message, long expectedLastSeq, CancellationToken ct)
    {
        Message = message;
        ExpectedLastSeq = expectedLastSeq;
        ContentJson = JsonColumn.ToText(message.Content, nameof(message));
        MetadataJson = message.Metadata is { } metadata ? JsonColumn.ToText(metadata, nameof(message)) : null;
        _cancellation = ct.UnsafeRegister(static (state, token) => ((PendingAppend)state!).CancelIfQueued(token), this);
    }

    public NewMessage Message { get; }

    public long ExpectedLastSeq { get; }

    public string ContentJson { get; }

    public string? MetadataJson { get; }

    public Task<AppendOutcome> Outcome => _outcome.Task;

    /// <summary>Claims the append for a batch; false if its caller cancelled first (then it must not be sent).</summary>
    public bool TryTake()
    {
        if (Interlocked.CompareExchange(ref _state, Taken, Queued) != Queued)
        {
            return false;
        }

        _cancellation.Unregister();
        return true;
    }

    public void Complete(AppendOutcome outcome) => _outcome.TrySetResult(outcome);

    public void Fail(Exception error) => _outcome.TrySetException(error);

    private void CancelIfQueued(CancellationToken token)
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued)
        {
            _outcome.TrySetCanceled(token);
        }
    }
}
