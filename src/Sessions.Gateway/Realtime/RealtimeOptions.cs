namespace Sessions.Gateway.Realtime;

/// <summary>
/// Limits and timings of the realtime endpoints (WebSocket <c>/ws</c> and the SSE streams), bound from
/// <c>Sessions:Realtime</c>. Every size and count is enforced with a clear error; see docs/realtime.md.
/// </summary>
public sealed class RealtimeOptions
{
    public const string SectionName = "Sessions:Realtime";

    /// <summary>
    /// How many frames may wait to be written to one connection. A consumer that falls this far behind is disconnected
    /// with the reason <c>slow-consumer</c> (it resumes with its last seq); it never slows anyone else.
    /// </summary>
    /// <value>1024.</value>
    public int OutgoingQueueLength { get; set; } = 1024;

    /// <summary>The largest WebSocket message a client may send; a larger one closes the connection (1009).</summary>
    /// <value>64 KiB (room for a message of the default <c>MaxContentBytes</c> plus its envelope).</value>
    public int MaxFrameBytes { get; set; } = 96 * 1024;

    /// <summary>How many topics one WebSocket connection may subscribe to at once.</summary>
    /// <value>100.</value>
    public int MaxSubscriptionsPerConnection { get; set; } = 100;

    /// <summary>
    /// The most messages a resume replays. A subscriber further behind gets <c>recovered: false</c> with the reason
    /// <c>too-far-behind</c> and live messages from the log's end; it pages the history over HTTP.
    /// </summary>
    /// <value>10,000.</value>
    public int MaxReplayMessages { get; set; } = 10_000;

    /// <summary>
    /// After this long without a frame the server sends one anyway (a WebSocket <c>heartbeat</c> frame, an SSE comment),
    /// so a client that hears nothing for longer knows its connection is dead, and proxies keep idle streams open.
    /// </summary>
    /// <value>15 seconds.</value>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// WebSocket protocol pings: how often the server pings, and how long it waits for the pong before it drops the
    /// connection as dead.
    /// </summary>
    /// <value>15 seconds and 30 seconds.</value>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <inheritdoc cref="KeepAliveInterval"/>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a gateway renews its subscriptions to the sessions it serves. It must be well inside the session
    /// grains' <c>ObserverExpiry</c>. A renewal also tells the gateway where each log ends, so a lost event is noticed
    /// by then at the latest (a silo loss triggers a renewal at once).
    /// </summary>
    /// <value>20 seconds.</value>
    public TimeSpan ResubscribePeriod { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How often, at most, a WebSocket connection that subscribed with a <c>participant_id</c> heartbeats that
    /// participant's presence while frames keep coming. Keep it well inside the sessions' presence timeout (30 s).
    /// </summary>
    /// <value>10 seconds.</value>
    public TimeSpan PresenceHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    internal bool IsValid() =>
        OutgoingQueueLength > 0 && MaxFrameBytes > 0 && MaxSubscriptionsPerConnection > 0 && MaxReplayMessages > 0
        && HeartbeatInterval > TimeSpan.Zero && KeepAliveInterval > TimeSpan.Zero && KeepAliveTimeout > TimeSpan.Zero
        && ResubscribePeriod > TimeSpan.Zero && PresenceHeartbeatInterval > TimeSpan.Zero;
}
