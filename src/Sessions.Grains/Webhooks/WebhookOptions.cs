namespace Sessions.Grains.Webhooks;

/// <summary>
/// Agent webhook delivery: where webhooks may go, how long and how large a request and its response may be, and the
/// defaults an agent gets for what its registration leaves out. Bound from <c>Sessions:Webhooks</c>
/// (<c>Sessions__Webhooks__AllowLoopback=true</c> in the environment, for example).
/// </summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Sessions:Webhooks";

    /// <summary>Whether webhook URLs may point at loopback addresses (127.0.0.0/8, ::1, <c>localhost</c>).</summary>
    /// <value>false: a webhook that reaches back into the cluster's own host is refused.</value>
    public bool AllowLoopback { get; set; }

    /// <summary>
    /// Whether webhook URLs may point at private and local networks: 10/8, 172.16/12, 192.168/16, 100.64/10, link-local
    /// 169.254/16 (cloud metadata lives there), fc00::/7, fe80::/10.
    /// </summary>
    /// <value>false.</value>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>A delivery attempt that has not had its whole response within this long fails as a timeout (retried).</summary>
    /// <value>10 seconds; an agent may ask for less or more, up to <see cref="MaxTimeout"/>.</value>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest <c>timeout_ms</c> an agent may ask for.</summary>
    /// <value>5 minutes (a streamed reply is read within the timeout).</value>
    public TimeSpan MaxTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many attempts a delivery gets (the first and its retries) unless its agent says otherwise.</summary>
    /// <value>8.</value>
    public int DefaultMaxAttempts { get; set; } = 8;

    /// <summary>The wait before the first retry; each later one doubles it, with jitter, up to <see cref="DefaultMaxRetryDelay"/>.</summary>
    /// <value>1 second.</value>
    public TimeSpan DefaultRetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts (a <c>Retry-After</c> beyond it is cut to it).</summary>
    /// <value>10 minutes.</value>
    public TimeSpan DefaultMaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long messages are gathered before a delivery goes out, unless the agent sets <c>debounce_ms</c>.</summary>
    /// <value>0: at once.</value>
    public TimeSpan DefaultDebounce { get; set; } = TimeSpan.Zero;

    /// <summary>How many earlier messages the <c>tail</c> history mode sends when the agent names no count.</summary>
    /// <value>20.</value>
    public int DefaultHistoryCount { get; set; } = 20;

    /// <summary>The most history messages any delivery carries (the cap of <c>entire</c>, the ceiling of <c>tail</c>).</summary>
    /// <value>1,000.</value>
    public int MaxHistoryMessages { get; set; } = 1000;

    /// <summary>After a secret rotation, how long the old secret keeps signing too (both signatures are sent).</summary>
    /// <value>24 hours.</value>
    public TimeSpan SecretRotationGrace { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The largest delivery body; a delivery that would be larger carries fewer history messages.</summary>
    /// <value>1 MiB.</value>
    public int MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>The most of a webhook response that is read (reply messages or an NDJSON stream of chunks); a longer one fails the attempt.</summary>
    /// <value>1 MiB.</value>
    public int MaxResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>The most new messages one delivery carries; more go out in the deliveries after it.</summary>
    /// <value>100.</value>
    public int MaxMessagesPerDelivery { get; set; } = 100;

    /// <summary>
    /// While a session's dispatcher has work (a delivery in flight, messages not yet sent), an Orleans reminder wakes it
    /// this often: how long a delivery whose silo died waits, at most, before another silo takes it up.
    /// </summary>
    /// <value>1 minute (Orleans' smallest reminder period unless <c>ReminderOptions.MinimumReminderPeriod</c> is lowered).</value>
    public TimeSpan DispatchReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>When an agent's attempts stop being sent for a while after repeated failures.</summary>
    public WebhookCircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>
    /// How often the cluster looks in the database for sessions whose messages no delivery carries (a stream notice
    /// lost with a dying silo) and wakes their dispatchers.
    /// </summary>
    /// <value>1 minute.</value>
    public TimeSpan DispatchSweepPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How old a message must be before the sweep counts it as missed (younger ones are the live path's).</summary>
    /// <value>30 seconds.</value>
    public TimeSpan DispatchSweepGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most sessions one sweep wakes; the next sweep takes the rest.</summary>
    /// <value>500.</value>
    public int DispatchSweepBatch { get; set; } = 500;

    /// <summary>
    /// Which Orleans stream provider carries the notices that wake the dispatchers: <see cref="NoticeStream.Memory"/>
    /// queues held by the silos, or <see cref="NoticeStream.AdoNet"/> queues in the sessions database (migration 0011).
    /// Either way the message log is the truth and a lost notice costs a delay, not a message.
    /// </summary>
    /// <value><see cref="NoticeStream.Memory"/> (measured against AdoNet in the dispatch benchmark: see docs/benchmarks.md).</value>
    public NoticeStream NoticeStream { get; set; } = NoticeStream.Memory;

    /// <summary>
    /// How often each silo's stream pulling agents look into the notice queues (both providers poll their queues): the
    /// most a notice waits before its dispatcher hears of it. Each poll is a grain call per queue (and with AdoNet a
    /// statement), so shorter costs idle CPU (see the dispatch benchmark in docs/benchmarks.md).
    /// </summary>
    /// <value>100 milliseconds (Orleans' default; 20 ms measured no better in the dispatch benchmark at 200 messages/s).</value>
    public TimeSpan NoticePollPeriod { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How many queues the notices are spread over (the pulling agents share them out among the silos).</summary>
    /// <value>4.</value>
    public int NoticeQueues { get; set; } = 4;

    /// <summary>The longest webhook URL accepted.</summary>
    /// <value>2,048 characters.</value>
    public int MaxUrlLength { get; set; } = 2048;
}

/// <summary>The Orleans stream providers the agent-dispatch notices can run on (<see cref="WebhookOptions.NoticeStream"/>).</summary>
public enum NoticeStream
{
    /// <summary>Orleans memory streams: queues in the silos' memory; a silo's death loses the notices it held.</summary>
    Memory,

    /// <summary>Orleans' ADO.NET streams (<c>Microsoft.Orleans.Streaming.AdoNet</c>): queues in PostgreSQL that outlive a silo.</summary>
    AdoNet,
}
