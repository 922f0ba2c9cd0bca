using System.Diagnostics;

namespace Sessions.Benchmarks.Realtime;

/// <summary>
/// The receipts of one measured round: for every message a subscriber received that the round appended, when it
/// was sent and how long it took to arrive (<see cref="Stopwatch"/> ticks, both taken in this process). Receive loops
/// add from any thread without locks.
/// </summary>
internal sealed class ReceiptRound(int id, int capacity)
{
    private readonly long[] _sent = new long[capacity];
    private readonly long[] _latency = new long[capacity];
    private int _count;

    public int Id { get; } = id;

    public int Count => Math.Min(Volatile.Read(ref _count), capacity);

    public void Add(long sentTicks, long receivedTicks)
    {
        var index = Interlocked.Increment(ref _count) - 1;
        if (index < capacity)
        {
            _sent[index] = sentTicks;
            _latency[index] = receivedTicks - sentTicks;
        }
    }

    /// <summary>Writes the receipts as binary: the count, then each send time and latency.</summary>
    public void WriteTo(string file)
    {
        using var writer = new BinaryWriter(File.Create(file));
        var count = Count;
        writer.Write(Id);
        writer.Write(count);
        for (var i = 0; i < count; i++)
        {
            writer.Write(_sent[i]);
            writer.Write(_latency[i]);
        }
    }

    public static ReceiptRound ReadFrom(string file)
    {
        using var reader = new BinaryReader(File.OpenRead(file));
        var id = reader.ReadInt32();
        var count = reader.ReadInt32();
        var round = new ReceiptRound(id, count);
        for (var i = 0; i < count; i++)
        {
            var sent = reader.ReadInt64();
            round.Add(sent, sent + reader.ReadInt64());
        }

        return round;
    }

    /// <summary>
    /// For the receipts whose append is in <paramref name="appends"/>: how long after the append's ack each arrived, in
    /// milliseconds, sorted (negative when the message reached the subscriber before the HTTP response reached the appender).
    /// </summary>
    public double[] SortedAfterAckMs(AppendRun appends)
    {
        var ackEnd = new Dictionary<long, long>(appends.SentTicks.Length);
        for (var i = 0; i < appends.SentTicks.Length; i++)
        {
            if (appends.AckTicks[i] > 0)
            {
                ackEnd[appends.SentTicks[i]] = appends.SentTicks[i] + appends.AckTicks[i];
            }
        }

        var count = Count;
        var result = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            if (ackEnd.TryGetValue(_sent[i], out var acked))
            {
                result.Add((_sent[i] + _latency[i] - acked) * 1000.0 / Stopwatch.Frequency);
            }
        }

        result.Sort();
        return [.. result];
    }

    /// <summary>Latencies in milliseconds, sorted, of the messages sent before <paramref name="sentBefore"/> (all when null).</summary>
    public double[] SortedLatenciesMs(long? sentBefore = null)
    {
        var count = Count;
        var result = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            if (sentBefore is null || _sent[i] < sentBefore)
            {
                result.Add(_latency[i] * 1000.0 / Stopwatch.Frequency);
            }
        }

        result.Sort();
        return [.. result];
    }
}

/// <summary>Where receive loops put receipts: the round being measured, if any. Receipts of other rounds are only counted.</summary>
internal sealed class ReceiptLog
{
    private ReceiptRound? _current;
    private long _stale;

    public ReceiptRound? Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    /// <summary>Messages that arrived after their round was closed (too late to count).</summary>
    public long Stale => Interlocked.Read(ref _stale);

    public void Add(int round, long sentTicks, long receivedTicks)
    {
        if (Current is { } current && current.Id == round)
        {
            current.Add(sentTicks, receivedTicks);
        }
        else
        {
            Interlocked.Increment(ref _stale);
        }
    }
}

internal static class Percentiles
{
    public static double Of(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
}
