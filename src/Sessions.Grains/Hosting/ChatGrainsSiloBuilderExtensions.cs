using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Sessions.Abstractions;
using Sessions.Grains.Webhooks;

namespace Sessions.Grains;

public static class ChatGrainsSiloBuilderExtensions
{
    /// <summary>The grain storage of the agent dispatchers' cursors (Orleans' ADO.NET provider, table <c>orleans_storage</c>).</summary>
    public const string DispatcherStorageName = "agent-dispatch";

    /// <summary>
    /// The chat grains and what they run on: their options, bound from configuration (<c>Sessions:ChatSession</c>,
    /// <c>Sessions:Inbox</c>, <c>Sessions:Limits</c>, <c>Sessions:Webhooks</c>, the last checked at start); the agents'
    /// webhook URL check (<see cref="WebhookUrlCheck"/>); the agent dispatchers' stream
    /// (<see cref="AgentDispatchStreams"/>, Orleans memory or ADO.NET streams), their state (ADO.NET grain storage) and their
    /// reminders (ADO.NET reminder table), all on the sessions database <paramref name="connectionString"/>. Orleans
    /// finds the grain classes of this assembly itself; the Sessions stores must be registered too (<c>AddSessionsStorage</c>).
    /// </summary>
    public static ISiloBuilder AddChatGrains(this ISiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ChatSessionOptions>().BindConfiguration(ChatSessionOptions.SectionName);
        builder.Services.AddOptions<InboxOptions>().BindConfiguration(InboxOptions.SectionName);
        builder.Services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.SectionName);
        builder.Services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.SectionName)
            .Validate(WebhooksAreSane, $"Every {WebhookOptions.SectionName} size, count and time must be positive (DefaultDebounce may be 0), "
                + "each default within its maximum, and MaxTimeout at most 24 days.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<WebhookUrlCheck>();

        var webhooks = new WebhookOptions();
        builder.Configuration.GetSection(WebhookOptions.SectionName).Bind(webhooks);
        AddNoticeStream(builder, webhooks, connectionString);
        builder.AddAdoNetGrainStorage(DispatcherStorageName, options =>
        {
            options.Invariant = SessionsCluster.AdoNetInvariant;
            options.ConnectionString = connectionString;
        });
        builder.UseAdoNetReminderService(options =>
        {
            options.Invariant = SessionsCluster.AdoNetInvariant;
            options.ConnectionString = connectionString;
        });

        // A dispatch reminder or sweep period under Orleans' default minimum (1 minute) lowers the minimum with it.
        builder.Services.AddOptions<ReminderOptions>().Configure<IOptions<WebhookOptions>>((reminders, webhooks) =>
        {
            var shortest = TimeSpan.FromTicks(Math.Min(webhooks.Value.DispatchReminderPeriod.Ticks, webhooks.Value.DispatchSweepPeriod.Ticks));
            if (shortest < reminders.MinimumReminderPeriod)
            {
                reminders.MinimumReminderPeriod = shortest;
            }
        });
        builder.Services.AddWebhookSender();
        builder.AddStartupTask((services, _) => services.GetRequiredService<IGrainFactory>().GetGrain<IDispatchSweeperGrain>(0).EnsureStartedAsync());
        return builder;
    }

    // The defaults must be values an agent could have chosen itself (AgentRules), or agents would show impossible settings.
    internal static bool WebhooksAreSane(WebhookOptions webhooks) =>
        webhooks.MaxTimeout > TimeSpan.Zero
        && webhooks.MaxTimeout.TotalMilliseconds <= int.MaxValue
        && webhooks.DefaultTimeout > TimeSpan.Zero
        && webhooks.DefaultTimeout <= webhooks.MaxTimeout
        && webhooks.DefaultMaxAttempts is >= 1 and <= AgentRules.MaxAttempts
        && webhooks.DefaultRetryBaseDelay > TimeSpan.Zero
        && webhooks.DefaultRetryBaseDelay.TotalMilliseconds <= AgentRules.MaxRetryBaseDelayMs
        && webhooks.DefaultMaxRetryDelay >= webhooks.DefaultRetryBaseDelay
        && webhooks.DefaultMaxRetryDelay.TotalMilliseconds <= AgentRules.MaxRetryMaxDelayMs
        && webhooks.DefaultDebounce >= TimeSpan.Zero
        && webhooks.DefaultDebounce.TotalMilliseconds <= AgentRules.MaxDebounceMs
        && webhooks.MaxHistoryMessages > 0
        && webhooks.DefaultHistoryCount is > 0 && webhooks.DefaultHistoryCount <= webhooks.MaxHistoryMessages
        && webhooks.SecretRotationGrace >= TimeSpan.Zero
        && webhooks.MaxRequestBytes > 0
        && webhooks.MaxResponseBytes > 0
        && webhooks.MaxUrlLength > 0;

    /// <summary>
    /// The notices' stream (<see cref="WebhookOptions.NoticeStream"/>). They are hints (the log is the truth), so queues
    /// in memory are the default. Its pub/sub state only ever holds implicit subscriptions, which need no storage of
    /// their own, hence memory storage for "PubSubStore".
    /// </summary>
    private static void AddNoticeStream(ISiloBuilder builder, WebhookOptions webhooks, string connectionString)
    {
        if (webhooks.NoticeStream == NoticeStream.AdoNet)
        {
            builder.AddAdoNetStreams(AgentDispatchStreams.ProviderName, streams =>
            {
                streams.ConfigureAdoNet(options => options.Configure(adoNet =>
                {
                    adoNet.Invariant = SessionsCluster.AdoNetInvariant;
                    adoNet.ConnectionString = connectionString;
                }));
                streams.ConfigurePartitioning(webhooks.NoticeQueues);
                streams.ConfigurePullingAgent(agent => agent.Configure(options => options.GetQueueMsgsTimerPeriod = webhooks.NoticePollPeriod));
            });
        }
        else
        {
            builder.AddMemoryStreams(AgentDispatchStreams.ProviderName, streams =>
            {
                streams.ConfigurePartitioning(webhooks.NoticeQueues);
                streams.ConfigurePullingAgent(agent => agent.Configure(options => options.GetQueueMsgsTimerPeriod = webhooks.NoticePollPeriod));
            });
        }

        builder.AddMemoryGrainStorage("PubSubStore");
    }
}
