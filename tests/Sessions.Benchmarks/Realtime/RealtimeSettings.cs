using System.Globalization;

namespace Sessions.Benchmarks.Realtime;

/// <summary>The knobs of <c>realtime</c> mode, from <c>--name value</c> arguments; the defaults are the load.</summary>
internal sealed record RealtimeSettings
{
    public int Sessions { get; init; } = 1000;

    public int SubscribersPerSession { get; init; } = 10;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public int Rounds { get; init; } = 3;

    /// <summary>Appends per second over all sessions (round-robin), sent at that fixed rate whatever the latency.</summary>
    public int Rate { get; init; } = 500;

    /// <summary>The gateway's <c>Sessions:Realtime:OutgoingQueueLength</c> for the run, and the baseline's queue length.</summary>
    public int QueueLength { get; init; } = 64;

    /// <summary>
    /// The slow-consumer phase appends (at the same rate) to only this many sessions, so that a stalled connection
    /// subscribed to all of them gets enough bytes to fill its socket buffers quickly; their live subscribers are measured.
    /// </summary>
    public int SlowSessions { get; init; } = 100;

    /// <summary>Connections that subscribe and never read again, in the slow-consumer phase (0 skips the phase).</summary>
    public int StalledConnections { get; init; } = 10;

    /// <summary>How many of the slow phase's sessions each stalled connection subscribes to (the gateway allows 100 per connection).</summary>
    public int StalledTopics { get; init; } = 100;

    /// <summary>Size of the text of each message in the slow-consumer phase, so the stalled sockets fill quickly.</summary>
    public int SlowPayloadBytes { get; init; } = 4096;

    /// <summary>How many connections are opened (and subscribed) at once while setting up.</summary>
    public int ConnectConcurrency { get; init; } = 64;

    public int Subscribers => Sessions * SubscribersPerSession;

    public static RealtimeSettings Parse(string[] args)
    {
        var settings = new RealtimeSettings();
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"Option {args[i]} needs a value.");
            }

            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            settings = args[i] switch
            {
                "--sessions" => settings with { Sessions = value },
                "--subscribers-per-session" => settings with { SubscribersPerSession = value },
                "--seconds" => settings with { Duration = TimeSpan.FromSeconds(value) },
                "--rounds" => settings with { Rounds = value },
                "--rate" => settings with { Rate = value },
                "--queue" => settings with { QueueLength = value },
                "--slow-sessions" => settings with { SlowSessions = value },
                "--stalled" => settings with { StalledConnections = value },
                "--stalled-topics" => settings with { StalledTopics = value },
                "--slow-payload" => settings with { SlowPayloadBytes = value },
                "--connect-concurrency" => settings with { ConnectConcurrency = value },
                _ => throw new ArgumentException(
                    $"Unknown option {args[i]}; known: --sessions --subscribers-per-session --seconds --rounds --rate --queue --slow-sessions --stalled --stalled-topics --slow-payload --connect-concurrency."),
            };
        }

        return settings.Sessions > 0 && settings.SubscribersPerSession > 0 && settings.Rate > 0 && settings.Rounds > 0 && settings.QueueLength > 0
            && settings.SlowSessions > 0 && settings.StalledConnections >= 0 && settings.StalledTopics is > 0 and <= 100 && settings.Duration > TimeSpan.Zero
            ? settings
            : throw new ArgumentException("Counts, rate and seconds must be positive; --stalled-topics at most 100 (the gateway's limit per connection).");
    }
}
