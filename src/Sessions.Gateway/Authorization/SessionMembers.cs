using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Sessions.Abstractions;
using Sessions.Gateway.Authentication;
using Sessions.Gateway.Calls;
using Sessions.Gateway.Requests;

namespace Sessions.Gateway.Authorization;

/// <summary>
/// Whether a caller may use a session: an admin key may use any; a participant token only a session whose initiator,
/// peer or attached agent it is. Nobody changes a session's members after it is created, so they are read from its
/// grain once and remembered (at most <see cref="AuthOptions.SessionMembersCacheSize"/> sessions); a session that does
/// not exist is not remembered, so it is found as soon as it is created.
/// </summary>
public sealed class SessionMembers : IDisposable
{
    private readonly GrainCalls _calls;
    private readonly LimitsOptions _limits;
    private readonly MemoryCache _members;

    public SessionMembers(GrainCalls calls, IOptions<LimitsOptions> limits, IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(options);
        _calls = calls;
        _limits = limits.Value;
        _members = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.SessionMembersCacheSize });
    }

    /// <summary>True when <paramref name="caller"/> may read and write session <paramref name="sessionId"/> (which, for a participant, exists).</summary>
    public async ValueTask<bool> MayUseAsync(Caller caller, string? sessionId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAdmin)
        {
            return true;
        }

        if (caller.ParticipantId is not { } participantId || !RequestRules.IsValidId(sessionId, _limits))
        {
            return false;
        }

        if (!_members.TryGetValue(sessionId!, out Members? members))
        {
            try
            {
                var session = await _calls.ReadSessionAsync(sessionId!, grain => grain.GetAsync()).ConfigureAwait(false);
                members = new Members(session.InitiatorId, session.PeerId, session.AgentId);
            }
            catch (SessionException e) when (e.Code == SessionErrors.SessionNotFound)
            {
                return false;
            }

            _members.Set(sessionId!, members, new MemoryCacheEntryOptions { Size = 1 });
        }

        return participantId == members!.InitiatorId || participantId == members.PeerId || participantId == members.AgentId;
    }

    /// <summary>
    /// Throws the same <see cref="SessionErrors.SessionNotFound"/> as a missing session unless the caller may use it: a
    /// session that is not the caller's is, to the caller, one that does not exist.
    /// </summary>
    public async ValueTask RequireAsync(Caller caller, string? sessionId)
    {
        if (!await MayUseAsync(caller, sessionId).ConfigureAwait(false))
        {
            throw SessionErrors.NotFound(sessionId ?? "");
        }
    }

    public void Dispose() => _members.Dispose();

    // Only the members: the rest of a session (its metadata among it) changes, and need not be kept.
    private sealed record Members(string InitiatorId, string PeerId, string? AgentId);
}
