namespace Sessions.Grains;

/// <summary>The page size rule of every listing (<see cref="PageQuery"/>).</summary>
internal static class PageLimit
{
    /// <summary>
    /// The page size asked for: <see cref="LimitsOptions.DefaultPageSize"/> when null, else 1 to
    /// <see cref="LimitsOptions.MaxPageSize"/>; anything else is noted in <paramref name="errors"/> on <c>limit</c>.
    /// </summary>
    public static int Of(int? limit, LimitsOptions limits, FieldErrors errors)
    {
        if (limit is null)
        {
            return limits.DefaultPageSize;
        }

        if (limit >= 1 && limit <= limits.MaxPageSize)
        {
            return limit.Value;
        }

        errors.Add("limit", $"limit must be an integer from 1 to {limits.MaxPageSize}.");
        return limits.DefaultPageSize;
    }
}
