using Orleans.GrainReferences;
using Sessions.Abstractions;
using Sessions.Client;

namespace Sessions.Gateway.Grains;

/// <summary>
/// The HTTP handlers' way to session grains: references made cheaply, and the calls that are safe to repeat (reads,
/// appends with a client_message_id) resent when a silo fails under them (<see cref="RetrySafeCalls"/>).
/// </summary>
public sealed class ChatSessionGrains
{
    private readonly GrainReferenceActivator _references;
    private readonly RetrySafeCalls _retries;
    private readonly GrainType _grainType;
    private readonly GrainInterfaceType _interfaceType;

    public ChatSessionGrains(IGrainFactory grains, GrainReferenceActivator references, RetrySafeCalls retries)
    {
        ArgumentNullException.ThrowIfNull(grains);
        _references = references;
        _retries = retries;

        // GetGrain resolves the interface's Orleans type names through reflection on every call (about 5% of a warm
        // tail read's CPU in a profile); only this one interface is ever asked for, so they are resolved once, here.
        var sample = (GrainReference)grains.GetGrain<IChatSessionGrain>("sample");
        _grainType = sample.GrainId.Type;
        _interfaceType = sample.InterfaceType;
    }

    /// <summary>The grain of session <paramref name="sessionId"/>: what <c>GetGrain&lt;IChatSessionGrain&gt;(sessionId)</c> returns.</summary>
    public IChatSessionGrain Get(string sessionId) =>
        (IChatSessionGrain)_references.CreateReference(GrainId.Create(_grainType, sessionId), _interfaceType);

    /// <summary>A read of the session, resent (as a new call) if a silo fails under it.</summary>
    public ValueTask<T> ReadAsync<T>(string sessionId, Func<IChatSessionGrain, Task<T>> read) =>
        _retries.ExecuteAsync(() => read(Get(sessionId)));

    /// <summary>A call with <paramref name="command"/>, resent (as a new call) if a silo fails under it and the command is retry-safe.</summary>
    public async Task<T> CallAsync<T>(string sessionId, IRetrySafe command, Func<IChatSessionGrain, Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.IsRetrySafe
            ? await _retries.ExecuteAsync(() => call(Get(sessionId))).ConfigureAwait(false)
            : await call(Get(sessionId)).ConfigureAwait(false);
    }

    /// <summary>
    /// An append answered in wire form (<see cref="IChatSessionGrain.AppendJsonAsync"/>), resent (as a new call) if a silo
    /// fails under it and it carries a client_message_id.
    /// </summary>
    public Task<AppendResultJson> AppendJsonAsync(string sessionId, AppendMessageCommand command) =>
        CallAsync(sessionId, command, grain => grain.AppendJsonAsync(command));
}
