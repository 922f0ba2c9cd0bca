using Orleans.GrainReferences;
using Sessions.Abstractions;
using Sessions.Client;

namespace Sessions.Gateway.Calls;

/// <summary>
/// The gateway's one way to call grains: references to them, and the calls that are safe to repeat (reads, and writes
/// made idempotent by a key, such as an append with a client_message_id) resent when a silo fails under them
/// (<see cref="RetrySafeCalls"/>). Handlers say which calls are retry-safe, this says what that means; no handler
/// resends anything itself. Session grains, the hottest, have shortcuts.
/// </summary>
public sealed class GrainCalls
{
    private readonly IGrainFactory _grains;
    private readonly GrainReferenceActivator _references;
    private readonly RetrySafeCalls _retries;
    private readonly GrainType _sessionType;
    private readonly GrainInterfaceType _sessionInterface;

    public GrainCalls(IGrainFactory grains, GrainReferenceActivator references, RetrySafeCalls retries)
    {
        ArgumentNullException.ThrowIfNull(grains);
        _grains = grains;
        _references = references;
        _retries = retries;

        // GetGrain resolves the interface's Orleans type names through reflection on every call (about 5% of a warm
        // tail read's CPU in a profile); session grains are called on every request, so theirs are resolved once, here.
        var sample = (GrainReference)grains.GetGrain<IChatSessionGrain>("sample");
        _sessionType = sample.GrainId.Type;
        _sessionInterface = sample.InterfaceType;
    }

    /// <summary>The grain of a string key (a participant, an agent, an inbox).</summary>
    public TGrain Get<TGrain>(string key)
        where TGrain : IGrainWithStringKey => _grains.GetGrain<TGrain>(key);

    /// <summary>The grain of an integer key: the stateless directories and logs, which all use key 0.</summary>
    public TGrain Get<TGrain>(long key)
        where TGrain : IGrainWithIntegerKey => _grains.GetGrain<TGrain>(key);

    /// <summary>A call that is safe to repeat (a read, or a write idempotent by its key): resent, as a new call, if a silo fails under it.</summary>
    public ValueTask<T> RetrySafeAsync<T>(Func<Task<T>> call) => _retries.ExecuteAsync(call);

    /// <summary>A call carrying <paramref name="command"/>: resent if a silo fails under it only when the command is retry-safe.</summary>
    public async Task<T> CallAsync<T>(IRetrySafe command, Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(call);
        return command.IsRetrySafe ? await _retries.ExecuteAsync(call).ConfigureAwait(false) : await call().ConfigureAwait(false);
    }

    /// <summary>The grain of session <paramref name="sessionId"/>: what <c>GetGrain&lt;IChatSessionGrain&gt;(sessionId)</c> returns.</summary>
    public IChatSessionGrain Session(string sessionId) =>
        (IChatSessionGrain)_references.CreateReference(GrainId.Create(_sessionType, sessionId), _sessionInterface);

    /// <summary>A read of the session (<see cref="RetrySafeAsync{T}"/>).</summary>
    public ValueTask<T> ReadSessionAsync<T>(string sessionId, Func<IChatSessionGrain, Task<T>> read) =>
        _retries.ExecuteAsync(() => read(Session(sessionId)));

    /// <summary>A call of the session with <paramref name="command"/> (<see cref="CallAsync{T}"/>).</summary>
    public Task<T> CallSessionAsync<T>(string sessionId, IRetrySafe command, Func<IChatSessionGrain, Task<T>> call) =>
        CallAsync(command, () => call(Session(sessionId)));

    /// <summary>
    /// An append answered in wire form (<see cref="IChatSessionGrain.AppendJsonAsync"/>), resent if a silo fails under
    /// it and it carries a client_message_id.
    /// </summary>
    public Task<AppendResultJson> AppendJsonAsync(string sessionId, AppendMessageCommand command) =>
        CallSessionAsync(sessionId, command, grain => grain.AppendJsonAsync(command));
}
