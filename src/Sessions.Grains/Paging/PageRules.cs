using Sessions.Storage.Paging;

namespace Sessions.Grains;

/// <summary>
/// The paging rules of the listings (<see cref="PageQuery"/>), for every caller: a limit of 1 to
/// <see cref="LimitsOptions.MaxPageSize"/> (none: <see cref="LimitsOptions.DefaultPageSize"/>), and a cursor the listing
/// issued itself. The gateway parses a query string's limit first; a cluster client's reaches only this check.
/// </summary>
internal static class PageRules
{
    /// <summary>The page size asked for, or the default; a limit out of range is noted in <paramref name="errors"/> (and 0 returned).</summary>
    public static int Limit(int? limit, LimitsOptions limits, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(errors);
        if (limit is not { } value)
        {
            return limits.DefaultPageSize;
        }

        if (value >= 1 && value <= limits.MaxPageSize)
        {
            return value;
        }

        errors.Add("limit", $"limit must be an integer from 1 to {limits.MaxPageSize}.");
        return 0;
    }

    /// <summary>
    /// Reads a page whose cursor only the store can judge: a cursor it did not issue is a validation error on
    /// <c>cursor</c>, with the store's message (which never repeats the cursor).
    /// </summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return await read();
        }
        catch (InvalidCursorException e)
        {
            throw SessionErrors.Invalid("cursor", e.Message);
        }
    }
}
