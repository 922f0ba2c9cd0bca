namespace Sessions.Gateway.Requests;

/// <summary>
/// Ids the gateway makes up (sessions always, participants when the client names none): a version 7 Guid in "N"
/// format, so ids sort by creation time and fit the id rule.
/// </summary>
internal static class GeneratedIds
{
    /// <summary>Every generated id has this many characters; <c>MaxIdLength</c> may not be set lower.</summary>
    public const int Length = 32;

    public static string New() => Guid.CreateVersion7().ToString("N");
}
