using Sessions.Abstractions;

namespace Sessions.Grains.Tests;

public sealed class SessionStatusTransitionsTests
{
    [Theory]
    [InlineData(SessionStatus.Active, SessionStatus.Idle)]
    [InlineData(SessionStatus.Idle, SessionStatus.Active)]
    [InlineData(SessionStatus.Active, SessionStatus.Suspended)]
    [InlineData(SessionStatus.Idle, SessionStatus.Suspended)]
    [InlineData(SessionStatus.Suspended, SessionStatus.Active)]
    [InlineData(SessionStatus.Suspended, SessionStatus.Closed)]
    [InlineData(SessionStatus.Active, SessionStatus.Completed)]
    [InlineData(SessionStatus.Idle, SessionStatus.Failed)]
    public void Legal_moves_are_allowed(SessionStatus from, SessionStatus to) =>
        Assert.True(SessionStatusTransitions.IsAllowed(from, to));

    [Theory]
    [InlineData(SessionStatus.Suspended, SessionStatus.Idle)]
    [InlineData(SessionStatus.Completed, SessionStatus.Active)]
    [InlineData(SessionStatus.Failed, SessionStatus.Closed)]
    [InlineData(SessionStatus.Closed, SessionStatus.Suspended)]
    [InlineData(SessionStatus.Active, SessionStatus.Active)]
    public void Illegal_moves_are_refused(SessionStatus from, SessionStatus to) =>
        Assert.False(SessionStatusTransitions.IsAllowed(from, to));
}
