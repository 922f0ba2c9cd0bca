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
    /// <c>Sessions:Inbox</c>, <c>Sessions:Limits</c>, <c>Sessions:Webhooks</c>); the agent dispatchers' stream
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
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);

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
