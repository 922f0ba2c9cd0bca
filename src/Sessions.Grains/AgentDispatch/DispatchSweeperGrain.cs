using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions.Abstractions;
using Sessions.Grains.Webhooks;
using Sessions.Storage.Deliveries;

namespace Sessions.Grains;

/// <summary>The cluster's one sweeper of lost dispatch notices (key 0), kept alive by its reminder.</summary>
[Alias("Sessions.Grains.IDispatchSweeperGrain")]
public interface IDispatchSweeperGrain : IGrainWithIntegerKey
{
    /// <summary>Makes sure the sweep's reminder exists (every silo asks at start; the first one registers it).</summary>
    [Alias("EnsureStartedAsync")]
    Task EnsureStartedAsync();

    /// <summary>One sweep now: wakes the dispatcher of every session with messages no delivery carries. Returns how many.</summary>
    [Alias("SweepAsync")]
    Task<int> SweepAsync();
}

/// <summary>
/// The safety net under the stream: a notice lost with a dying silo (or never published) leaves messages that no
/// delivery carries and no reminder to find them. Every <see cref="WebhookOptions.DispatchSweepPeriod"/> this grain
/// asks the database for such sessions (<see cref="DispatchBacklog"/>) and wakes their dispatchers.
/// </summary>
[GrainType("dispatchsweeper")]
public sealed partial class DispatchSweeperGrain(DispatchBacklog backlog, IOptions<WebhookOptions> options, ILogger<DispatchSweeperGrain> logger)
    : Grain, IDispatchSweeperGrain, IRemindable
{
    private const string ReminderName = "sweep";

    public async Task EnsureStartedAsync()
    {
        if (await this.GetReminder(ReminderName) is null)
        {
            await this.RegisterOrUpdateReminder(ReminderName, options.Value.DispatchSweepPeriod, options.Value.DispatchSweepPeriod);
        }
    }

    public async Task<int> SweepAsync()
    {
        var behind = await backlog.SessionsBehindAsync(options.Value.DispatchSweepGrace, options.Value.DispatchSweepBatch, CancellationToken.None);
        foreach (var sessionId in behind)
        {
            GrainFactory.GetGrain<IAgentDispatcherGrain>(sessionId).WakeAsync().Ignore();
        }

        if (behind.Count > 0)
        {
            LogSwept(logger, behind.Count);
        }

        return behind.Count;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => SweepAsync();

    [LoggerMessage(Level = LogLevel.Information, Message = "Dispatch sweep: {Count} sessions had messages no delivery carried; their dispatchers were woken.")]
    private static partial void LogSwept(ILogger logger, int count);
}
