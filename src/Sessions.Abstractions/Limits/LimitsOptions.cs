namespace Sessions.Abstractions;

/// <summary>
/// Every size limit of the service, bound from the configuration section <c>Sessions:Limits</c>
/// (for example the environment variable <c>Sessions__Limits__MaxContentBytes</c>). Enforced by the
/// gateway (body size, paging) and by the grains (message size), so cluster clients meet the same limits.
/// </summary>
public sealed class LimitsOptions
{
    public const string SectionName = "Sessions:Limits";

    /// <summary>The largest request body the HTTP API reads.</summary>
    /// <value>1 MiB.</value>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The largest message <c>content</c>, measured as UTF-8 JSON.</summary>
    /// <value>64 KiB.</value>
    public int MaxContentBytes { get; set; } = 64 * 1024;

    /// <summary>The largest <c>metadata</c> object of a participant, session or message, measured as UTF-8 JSON.</summary>
    /// <value>16 KiB.</value>
    public int MaxMetadataBytes { get; set; } = 16 * 1024;

    /// <summary>The page size used when a request names none.</summary>
    /// <value>50.</value>
    public int DefaultPageSize { get; set; } = 50;

    /// <summary>The largest page size a request may ask for; more is a 400, not a silent cap.</summary>
    /// <value>500.</value>
    public int MaxPageSize { get; set; } = 500;

    /// <summary>The longest participant <c>display_name</c>, in characters.</summary>
    /// <value>256.</value>
    public int MaxDisplayNameLength { get; set; } = 256;

    /// <summary>The longest id, kind, client_message_id or task_id, in characters.</summary>
    /// <value>128.</value>
    public int MaxIdLength { get; set; } = 128;

    /// <summary>The largest chunk of a streamed reply, measured as UTF-8.</summary>
    /// <value>8 KiB.</value>
    public int MaxChunkBytes { get; set; } = 8 * 1024;

    /// <summary>The most chunks one streamed reply may have. Its text as a whole is also held to <see cref="MaxContentBytes"/>.</summary>
    /// <value>10,000.</value>
    public int MaxChunksPerReply { get; set; } = 10_000;

    /// <summary>How many streamed replies may be in flight in one session at once.</summary>
    /// <value>8.</value>
    public int MaxRepliesInFlight { get; set; } = 8;
}
