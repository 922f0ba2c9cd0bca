using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using Sessions.Abstractions;
using Sessions.Grains.Webhooks;
using Sessions.Storage.Agents;
using Sessions.Storage.Deliveries;

namespace Sessions.Grains;

/// <summary>
/// Delivers one session's new messages to its agent's webhook (see <see cref="IAgentDispatcherGrain"/>).
///
/// The log is the truth and the stream only a hint: a notice (or a wake, or the reminder) makes the dispatcher read
/// the log after its cursor. It keeps one delivery in flight; what arrives meanwhile goes out together in the next one.
/// The cursor and the delivery in flight live in grain storage, written before every attempt, and a reminder is
/// registered while there is work, so a dispatcher whose silo died resumes elsewhere within a reminder period at the
/// latest. Between attempts it waits on a grain timer, never inside a turn; the HTTP attempt itself runs in a turn,
/// bounded by the agent's timeout (notices wait meanwhile, which is exactly the coalescing wanted).
/// Its clock is the one Orleans drives grain timers with, so when a retry is due and the timer that waits for it agree
/// (and a test's fake clock moves both).
/// </summary>
[ImplicitStreamSubscription(AgentDispatchStreams.Namespace)]
[GrainType("agentdispatcher")]
public sealed partial class AgentDispatcherGrain : Grain, IAgentDispatcherGrain, IRemindable
{
    private const string ReminderName = "dispatch";
    private readonly IPersistentState<DispatcherState> _state;
    private readonly AgentStore _agents;
    private readonly DeliveryStore _deliveries;
    private readonly WebhookSender _sender;
    private readonly WebhookOptions _options;
    private readonly LimitsOptions _limits;
    private readonly TimeProvider _time;
    private readonly ILogger<AgentDispatcherGrain> _logger;
    private IGrainTimer? _wake;
    private bool? _reminderRegistered; // null: not known yet in this activation
    private bool _dirty; // state changed since the last write

    public AgentDispatcherGrain(
        [PersistentState("dispatcher", ChatGrainsSiloBuilderExtensions.DispatcherStorageName)] IPersistentState<DispatcherState> state,
        AgentStore agents,
        DeliveryStore deliveries,
        WebhookSender sender,
        IOptions<WebhookOptions> options,
        IOptions<LimitsOptions> limits,
        [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider time,
        ILogger<AgentDispatcherGrain> logger)
    {
        _state = state;
        _agents = agents;
        _deliveries = deliveries;
        _sender = sender;
        _options = options.Value;
        _limits = limits.Value;
        _time = time;
        _logger = logger;
    }

    private string SessionId => this.GetPrimaryKeyString();

    private DispatcherState State => _state.State;

    private IChatSessionGrain Session => GrainFactory.GetGrain<IChatSessionGrain>(SessionId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stream = this.GetStreamProvider(AgentDispatchStreams.ProviderName)
            .GetStream<SessionMessageNotice>(StreamId.Create(AgentDispatchStreams.Namespace, SessionId));
        await stream.SubscribeAsync((notice, _) => OnNoticeAsync(notice));

        // Whatever woke this activation, a delivery left in flight by an earlier one goes on.
        if (State.Current is not null)
        {
            WakeIn(TimeSpan.Zero);
        }
    }

    public Task WakeAsync()
    {
        WakeIn(TimeSpan.Zero);
        return Task.CompletedTask;
    }

    public async Task RedeliverAsync(Guid deliveryId)
    {
        if (State.Current?.Id != deliveryId && !State.Redeliveries.Contains(deliveryId))
        {
            State.Redeliveries.Add(deliveryId);
            await _state.WriteStateAsync();
        }

        await KeepReminderAsync();
        WakeIn(TimeSpan.Zero);
    }

    public Task<DispatcherStatus> GetStatusAsync() => Task.FromResult(new DispatcherStatus(
        SessionId, State.AgentId, State.DeliveredThroughSeq, State.Current?.Id, State.Current?.Attempt ?? 0, State.Current?.NextAttemptAt));

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _reminderRegistered = true;
        WakeIn(TimeSpan.Zero);
        return Task.CompletedTask;
    }

    private Task OnNoticeAsync(SessionMessageNotice notice)
    {
        // While a delivery waits for its next attempt, new messages wait for it: one delivery in flight per session.
        if (State.Current is null && notice.LastSeq > State.DeliveredThroughSeq)
        {
            WakeIn(TimeSpan.Zero);
        }

        return Task.CompletedTask;
    }

    /// <summary>Runs <see cref="PumpAsync"/> in its own turn after <paramref name="delay"/> (sooner wins over later).</summary>
    private void WakeIn(TimeSpan delay)
    {
        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }

        if (_wake is null)
        {
            _wake = this.RegisterGrainTimer(PumpAsync, new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan) { Interleave = false });
            return;
        }

        _wake.Change(delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Sends what is due: the delivery in flight when its attempt is due, then new deliveries until the log is out.</summary>
    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                if (State.Current is { } current)
                {
                    var wait = current.NextAttemptAt is { } at ? at - _time.GetUtcNow() : TimeSpan.Zero;
                    if (wait > TimeSpan.Zero)
                    {
                        WakeIn(wait);
                        return;
                    }

                    if (!await AttemptAsync(current, cancellationToken))
                    {
                        return;
                    }

                    continue;
                }

                if (await TakeRedeliveryAsync())
                {
                    continue;
                }

                var (started, retryIn) = await StartNextDeliveryAsync();
                if (!started)
                {
                    if (retryIn is { } later)
                    {
                        WakeIn(later);
                    }

                    return;
                }
            }
        }
        finally
        {
            // What changed after the last attempt (a delivery ended, the cursor passed the agent's own messages) is saved
            // once here. Lost to a crash, it costs a resend under the same webhook-id, never a message.
            if (_dirty)
            {
                _dirty = false;
                await _state.WriteStateAsync();
            }
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The reminder outlives an activation only while there is work for the next one.
        if (State.Current is null && State.Redeliveries.Count == 0 && reason.ReasonCode != DeactivationReasonCode.ShuttingDown)
        {
            await ForgetReminderAsync();
        }
    }

    private async Task KeepReminderAsync()
    {
        if (_reminderRegistered != true)
        {
            await this.RegisterOrUpdateReminder(ReminderName, _options.DispatchReminderPeriod, _options.DispatchReminderPeriod);
            _reminderRegistered = true;
        }
    }

    private async Task ForgetReminderAsync()
    {
        if (_reminderRegistered == false)
        {
            return;
        }

        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        _reminderRegistered = false;
    }
}
