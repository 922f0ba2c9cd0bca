namespace Sessions.Abstractions;

/// <summary>
/// A page request over a listing ordered by a stable key. <see cref="Cursor"/> is the previous page's
/// <c>NextCursor</c> (null: the first page); <see cref="Limit"/> is 1 to <see cref="LimitsOptions.MaxPageSize"/>
/// (null: <see cref="LimitsOptions.DefaultPageSize"/>). A cursor from another listing, or one that was altered, is a
/// <see cref="SessionErrors.Validation"/> error on <c>cursor</c>; a limit out of range, one on <c>limit</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Sessions.PageQuery")]
public sealed record PageQuery(
    [property: Id(0)] string? Cursor = null,
    [property: Id(1)] int? Limit = null);
