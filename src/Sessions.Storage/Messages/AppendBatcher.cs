using Npgsql;

namespace Sessions.Storage.Messages;

/// <summary>
/// Group commit for appends: concurrent appends (to different sessions, as a rule) share one statement, one
/// transaction and one WAL flush.
///
/// Natural batching, no timers: an append that finds a free slot (fewer than
/// <see cref="AppendBatchOptions.MaxBatchesInFlight"/> statements in flight) is sent at once, alone, exactly as
/// without batching. Appends that arrive while every slot is busy queue up; whichever statement completes first
/// takes up to <see cref="AppendBatchOptions.MaxBatchSize"/> of them into the next one. So batches grow with load,
/// and nothing ever waits for a batch to fill. The invariant that makes this safe from lost wake-ups: under the
/// lock, a non-empty queue always has all slots busy (or the batcher is held), and a worker only gives up its slot
/// when it finds the queue empty.
///
/// Each caller gets exactly its own outcome, and Appended only after the commit of the statement that carried it:
/// <list type="bullet">
/// <item>A batch of one runs the single-append statement.</item>
/// <item>A batch statement that PostgreSQL rejects with an ERROR (a duplicate client_message_id, a bad row, a
/// deadlock between silos) was rolled back whole, so nothing of it was written: its appends are replayed one by one
/// on the single-append statement, and each caller gets the outcome or exception it would have had alone.</item>
/// <item>Any other failure (connection lost, server shutting down) leaves the commit in doubt: every caller of that
/// batch gets the exception, as a lone append would, and none is told it succeeded.</item>
/// <item>A caller that cancels while its append is still queued gets an <see cref="OperationCanceledException"/>
/// and its append is never sent. Once sent, the append is part of a statement other callers share, so it is not
/// cancelled: the caller gets the true outcome.</item>
/// </list>
/// </summary>
internal sealed class AppendBatcher
{
    private readonly AppendStatements _statements;
    private readonly AppendBatchOptions _options;
    private readonly Lock _gate = new();
    private readonly Queue<PendingAppend> _queue = new();
    private int _workers;
    private bool _held;
    private long _batchesSent;
    private long _batchesReplayed;

    public AppendBatcher(AppendStatements statements, AppendBatchOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchesInFlight, 1, nameof(options));
        _statements = statements;
        _options = options;
    }

    /// <summary>Batches sent so far, of any size (replays one by one not counted).</summary>
    internal long BatchesSent => Interlocked.Read(ref _batchesSent);

    /// <summary>Batches that failed with an ERROR and were replayed one append at a time.</summary>
    internal long BatchesReplayed => Interlocked.Read(ref _batchesReplayed);

    internal int QueuedCount
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    public Task<AppendOutcome> AppendAsync(NewMessage message, long expectedLastSeq, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<AppendOutcome>(ct);
        }

        var append = new PendingAppend(message, expectedLastSeq, ct);
        bool startWorker;
        lock (_gate)
        {
            _queue.Enqueue(append);
            startWorker = !_held && _workers < _options.MaxBatchesInFlight;
            if (startWorker)
            {
                _workers++;
            }
        }

        if (startWorker)
        {
            StartWorker();
        }

        return append.Outcome;
    }

    /// <summary>For tests: queue appends without sending any, so that <see cref="Release"/> sends them as known batches.</summary>
    internal void Hold()
    {
        lock (_gate)
        {
            _held = true;
        }
    }

    /// <summary>Ends <see cref="Hold"/>: starts as many workers as the queue fills batches, up to the in-flight limit.</summary>
    internal void Release()
    {
        int workers;
        lock (_gate)
        {
            _held = false;
            var batches = (_queue.Count + _options.MaxBatchSize - 1) / _options.MaxBatchSize;
            workers = Math.Min(batches, _options.MaxBatchesInFlight - _workers);
            _workers += workers;
        }

        for (var i = 0; i < workers; i++)
        {
            StartWorker();
        }
    }

    private void StartWorker()
    {
        // The worker serves many callers: it must not carry this caller's ExecutionContext (log scopes, Activity)
        // into their statements. It runs on this thread until its first await, as a lone append did before.
        if (ExecutionContext.IsFlowSuppressed())
        {
            _ = RunWorkerAsync();
            return;
        }

        using (ExecutionContext.SuppressFlow())
        {
            _ = RunWorkerAsync();
        }
    }

    private async Task RunWorkerAsync()
    {
        while (TakeBatch() is { } batch)
        {
            await SendAsync(batch).ConfigureAwait(false);
        }
    }

    /// <summary>The next batch, or null (and this worker's slot given up) when there is nothing to send.</summary>
    private List<PendingAppend>? TakeBatch()
    {
        lock (_gate)
        {
            var batch = new List<PendingAppend>(Math.Min(_queue.Count, _options.MaxBatchSize));
            while (!_held && batch.Count < _options.MaxBatchSize && _queue.TryDequeue(out var append))
            {
                if (append.TryTake())
                {
                    batch.Add(append);
                }
            }

            if (batch.Count > 0)
            {
                return batch;
            }

            _workers--;
            return null;
        }
    }

    private async Task SendAsync(List<PendingAppend> batch)
    {
        Interlocked.Increment(ref _batchesSent);
        try
        {
            if (batch.Count == 1)
            {
                batch[0].Complete(await _statements.AppendOneAsync(batch[0], CancellationToken.None).ConfigureAwait(false));
                return;
            }

            AppendOutcome[] outcomes;
            try
            {
                outcomes = await _statements.AppendManyAsync(batch).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.InvariantSeverity == "ERROR")
            {
                Interlocked.Increment(ref _batchesReplayed);
                await ReplayOneByOneAsync(batch).ConfigureAwait(false);
                return;
            }

            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Complete(outcomes[i]);
            }
        }
        catch (Exception e)
        {
            // The commit is in doubt (or the batch never reached the server): nobody may be told it succeeded.
            // Callers already completed keep their outcome; Fail does not overwrite it.
            foreach (var append in batch)
            {
                append.Fail(e);
            }
        }
    }

    private async Task ReplayOneByOneAsync(List<PendingAppend> batch)
    {
        foreach (var append in batch)
        {
            try
            {
                append.Complete(await _statements.AppendOneAsync(append, CancellationToken.None).ConfigureAwait(false));
            }
            catch (Exception e)
            {
                append.Fail(e);
            }
        }
    }
}
