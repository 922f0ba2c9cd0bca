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
        : this(code, message, details, fields: null)
    {
    }

    /// <param name="fields">For a <see cref="SessionErrors.Validation"/> error: every invalid field and what is wrong with it.</param>
    public SessionException(
        string code, string message, IReadOnlyDictionary<string, string>? details, IReadOnlyDictionary<string, string[]>? fields)
        : base(message)
    {
        Code = code;
        Details = details is null ? [] : new Dictionary<string, string>(details, StringComparer.Ordinal);
        Fields = fields is null ? [] : new Dictionary<string, string[]>(fields, StringComparer.Ordinal);
    }

    /// <summary>The stable error code.</summary>
    [Id(0)]
    public string Code { get; private set; }

    /// <summary>Facts about the refusal, by snake_case name; numbers are written in invariant culture.</summary>
    [Id(1)]
    public Dictionary<string, string> Details { get; private set; }

    /// <summary>
    /// For a <see cref="SessionErrors.Validation"/> error, each invalid field (snake_case, as the caller named it; a
    /// nested one dotted, such as <c>history.mode</c>) with its messages: every rule the request broke, not only the first.
    /// </summary>
    [Id(2)]
    public Dictionary<string, string[]> Fields { get; private set; }

    /// <summary>A detail read as a number, such as <c>current_seq</c> on a <see cref="SessionErrors.SeqConflict"/>.</summary>
    public long? NumericDetail(string name) =>
        Details.TryGetValue(name, out var value) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
}
