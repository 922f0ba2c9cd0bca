using Sessions.Abstractions;
using Sessions.Gateway.Requests;

namespace Sessions.Gateway.Api.Agents;

/// <summary>
/// An <see cref="AgentRequest"/> as the agent grain's commands: each member the JSON had is set (null included), each
/// one left out is not. The grain checks them all; names it does not know (a status, a history mode) reach it as
/// undefined values (<see cref="ContractValues"/>), so it names them along with every other broken rule.
/// </summary>
internal static class AgentRequestCommands
{
    public static RegisterAgentCommand ToRegisterCommand(this AgentRequest request) =>
        new(request.Url, request.Secret, Settings(request), ContractValues.Enum<AgentStatus>(request.Status));

    /// <summary>The change a PUT asks for; its <c>id</c> and <c>secret</c> are the handler's to refuse.</summary>
    public static UpdateAgentCommand ToUpdateCommand(this AgentRequest request) =>
        new(request.Url, Settings(request), ContractValues.Enum<AgentStatus>(request.Status));

    private static AgentSettingsChange Settings(AgentRequest request) => new()
    {
        TimeoutMs = Member(request, nameof(request.TimeoutMs), request.TimeoutMs),
        MaxAttempts = Member(request, nameof(request.MaxAttempts), request.MaxAttempts),
        RetryBaseDelayMs = Member(request, nameof(request.RetryBaseDelayMs), request.RetryBaseDelayMs),
        RetryMaxDelayMs = Member(request, nameof(request.RetryMaxDelayMs), request.RetryMaxDelayMs),
        DebounceMs = Member(request, nameof(request.DebounceMs), request.DebounceMs),
        History = Member(request, nameof(request.History), request.History is { } history
            ? new AgentHistoryChange(ContractValues.Enum<AgentHistoryMode>(history.Mode), history.Count)
            : null),
    };

    private static Change<T> Member<T>(AgentRequest request, string member, T value) =>
        request.Has(member) ? Change<T>.To(value) : default;
}
