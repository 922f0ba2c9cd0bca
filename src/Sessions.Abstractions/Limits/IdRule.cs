using System.Text.RegularExpressions;

namespace Sessions.Abstractions;

/// <summary>
/// What an id of a participant, an agent, a session or a token may be: 1 to <see cref="LimitsOptions.MaxIdLength"/>
/// characters of letters, digits and <c>. _ : @ -</c>. The grain that owns an id enforces it; the HTTP gateway uses it
/// only to answer "not found" for an id in a path that cannot exist, without a call.
/// </summary>
public static partial class IdRule
{
    public static bool IsValid(string? id, LimitsOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return !string.IsNullOrEmpty(id) && id.Length <= limits.MaxIdLength && IdPattern().IsMatch(id);
    }

    /// <summary>The rule as the end of a sentence that starts with the field's name: "id must be 1 to 128 characters …".</summary>
    public static string Describe(LimitsOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return $"must be 1 to {limits.MaxIdLength} characters of letters, digits and . _ : @ -";
    }

    [GeneratedRegex("^[A-Za-z0-9._:@-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
