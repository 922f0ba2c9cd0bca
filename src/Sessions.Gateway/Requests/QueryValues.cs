using System.Globalization;
using Sessions.Abstractions;
using Sessions.Gateway.Problems;

namespace Sessions.Gateway.Requests;

/// <summary>
/// Parses paging values from the query string. Only plain digits are accepted: a sign, a fraction, a value that
/// does not fit, or a page larger than <see cref="LimitsOptions.MaxPageSize"/> is a 400, never silently clamped.
/// </summary>
/// <remarks>
/// Digits are checked before parsing because <see cref="long.TryParse(string, NumberStyles, IFormatProvider, out long)"/>
/// ignores trailing NUL characters even with <see cref="NumberStyles.None"/>: <c>limit=5%00</c> would read as 5.
/// </remarks>
internal static class QueryValues
{
    /// <summary>The page size: the default when absent, else 1..MaxPageSize.</summary>
    public static int Limit(string? raw, LimitsOptions limits, ValidationErrors errors)
    {
        if (raw is null)
        {
            return limits.DefaultPageSize;
        }

        if (IsDigits(raw) && long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= limits.MaxPageSize)
        {
            return (int)value;
        }

        errors.Add("limit", $"limit must be an integer from 1 to {limits.MaxPageSize}.");
        return 0;
    }

    /// <summary>A sequence number bound: null when absent, else a non-negative integer that fits in 64 bits.</summary>
    public static long? Seq(string field, string? raw, ValidationErrors errors)
    {
        if (raw is null)
        {
            return null;
        }

        if (IsDigits(raw) && long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add(field, $"{field} must be a non-negative integer of at most {long.MaxValue}.");
        return null;
    }

    private static bool IsDigits(string raw) => raw.Length > 0 && !raw.AsSpan().ContainsAnyExceptInRange('0', '9');
}
