using System.Globalization;

namespace Sessions.Abstractions;

/// <summary>
/// A request the session refused on purpose, identified by a stable <see cref="Code"/> (one of
/// <see cref="SessionErrors"/>: <c>session-not-found</c>, <c>seq-conflict</c>, ...) with facts a caller can act on in
/// <see cref="Details"/> (for example <c>current_seq</c>). Grains throw it; Orleans carries it to the caller intact,
/// so a cluster client catches the same code the HTTP API puts in its problem type <c>urn:sessions:problem:{code}</c>.
/// Nothing was written when a grain throws it.
/// </summary>
[GenerateSerializer, Alias("Sessions.SessionException")]
public sealed class SessionException : Exception
{
    public SessionException(string code, string message, IReadOnlyDictionary<string, string>? details = null)
        : base(message)
    {
        Code = code;
        Details = details is null ? [] : new Dictionary<string, string>(details, StringComparer.Ordinal);
    }

    /// <summary>The stable error code.</summary>
    [Id(0)]
    public string Code { get; private set; }

    /// <summary>Facts about the refusal, by snake_case name; numbers are written in invariant culture.</summary>
    [Id(1)]
    public Dictionary<string, string> Details { get; private set; }

    /// <summary>A detail read as a number, such as <c>current_seq</c> on a <see cref="SessionErrors.SeqConflict"/>.</summary>
    public long? NumericDetail(string name) =>
        Details.TryGetValue(name, out var value) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
}
