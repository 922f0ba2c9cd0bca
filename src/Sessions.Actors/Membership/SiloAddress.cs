using System.Globalization;

namespace Sessions.Actors;

/// <summary>
/// Where a silo process listens for silo-to-silo traffic, plus its generation (its start time in Unix milliseconds),
/// so that a restarted silo on the same host and port is a different silo from the one that died.
/// </summary>
public readonly record struct SiloAddress(string Host, int Port, long Generation)
{
    /// <summary>The silo endpoint's base URI (HTTP/2 cleartext).</summary>
    public Uri Endpoint => new($"http://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}/");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}@{Generation}");

    /// <summary>Reads the form <see cref="ToString"/> writes.</summary>
    public static SiloAddress Parse(string text)
    {
        var at = text.LastIndexOf('@');
        var colon = at > 0 ? text.LastIndexOf(':', at - 1) : -1;
        if (colon <= 0)
        {
            throw new FormatException($"'{text}' is not a silo address (host:port@generation).");
        }

        return new SiloAddress(
            text[..colon],
            int.Parse(text.AsSpan(colon + 1, at - colon - 1), CultureInfo.InvariantCulture),
            long.Parse(text.AsSpan(at + 1), CultureInfo.InvariantCulture));
    }
}
