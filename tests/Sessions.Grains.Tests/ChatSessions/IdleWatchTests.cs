using Microsoft.Extensions.Time.Testing;

namespace Sessions.Grains.Tests;

public sealed class IdleWatchTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly List<(Func<CancellationToken, Task> Callback, GrainTimerCreationOptions Options)> _timers = [];

    private IdleWatch NewWatch(TimeSpan idleAfter, Func<CancellationToken, Task>? check = null) => new(
        idleAfter,
        _clock,
        (callback, options) =>
        {
            _timers.Add((callback, options));
            return new NoTimer();
        },
        check ?? (_ => Task.CompletedTask));

    private ChatSession Session(SessionStatus status, DateTimeOffset updatedAt) =>
        new("s-1", "alice", "bob", null, "chat", status, null, null, 0, null, null, updatedAt, updatedAt);

    [Theory]
    [InlineData(600_000, 60_000)] // 10 minutes: at most a minute between checks
    [InlineData(60_000, 15_000)] // a quarter of the spell
    [InlineData(200, 100)] // never more often than every 100 ms
    public void The_check_runs_every_quarter_of_the_spell_between_100_ms_and_a_minute(int idleAfterMs, int periodMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(periodMs), NewWatch(TimeSpan.FromMilliseconds(idleAfterMs)).CheckPeriod);
    }

    [Fact]
    public async Task Watching_registers_one_timer_that_does_not_keep_the_activation_alive()
    {
        var checks = 0;
        var watch = NewWatch(TimeSpan.FromMinutes(10), _ =>
        {
            checks++;
            return Task.CompletedTask;
        });

        watch.Watch();
        watch.Watch();

        var (callback, options) = Assert.Single(_timers);
        Assert.Equal((TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), false), (options.DueTime, options.Period, options.KeepAlive));
        await callback(CancellationToken.None);
        Assert.Equal(1, checks);
    }

    [Fact]
    public void An_active_session_is_quiet_once_the_whole_spell_passed_since_its_last_change()
    {
        var watch = NewWatch(TimeSpan.FromMinutes(10));
        var touched = _clock.GetUtcNow();

        _clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        Assert.False(watch.IsQuiet(Session(SessionStatus.Active, touched)));

        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.True(watch.IsQuiet(Session(SessionStatus.Active, touched)));
        Assert.False(watch.IsQuiet(Session(SessionStatus.Idle, touched)));
        Assert.False(watch.IsQuiet(Session(SessionStatus.Suspended, touched)));
    }

    private sealed class NoTimer : IGrainTimer
    {
        public void Change(TimeSpan dueTime, TimeSpan period)
        {
        }

        public void Dispose()
        {
        }
    }
}
