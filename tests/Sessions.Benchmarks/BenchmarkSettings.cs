using System.Globalization;

namespace Sessions.Benchmarks;

/// <summary>The knobs of a run, from <c>--name value</c> arguments; the defaults are the target load.</summary>
internal sealed record BenchmarkSettings
{
    public int Clients { get; init; } = 32;

    public int Sessions { get; init; } = 1000;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public int Rounds { get; init; } = 3;

    public int TailSessions { get; init; } = 200;

    public int TailLimit { get; init; } = 50;

    public static BenchmarkSettings Parse(string[] args)
    {
        var settings = new BenchmarkSettings();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            settings = args[i] switch
            {
                "--clients" => settings with { Clients = value },
                "--sessions" => settings with { Sessions = value },
                "--seconds" => settings with { Duration = TimeSpan.FromSeconds(value) },
                "--rounds" => settings with { Rounds = value },
                "--tail-sessions" => settings with { TailSessions = value },
                _ => throw new ArgumentException($"Unknown option {args[i]}; known: --clients --sessions --seconds --rounds --tail-sessions."),
            };
        }

        return settings;
    }
}
