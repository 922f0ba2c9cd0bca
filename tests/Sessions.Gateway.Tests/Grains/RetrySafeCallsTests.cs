using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Sessions.Abstractions;
using Sessions.Client;

namespace Sessions.Gateway.Tests.Grains;

/// <summary>What the gateway resends of a retry-safe grain call, and how often: silo failures only, each time anew.</summary>
public sealed class RetrySafeCallsTests
{
    [Fact]
    public async Task A_call_whose_silo_failed_is_made_again_until_it_succeeds()
    {
        var attempts = 0;

        var result = await Calls(maxRetries: 5).ExecuteAsync(() => ++attempts < 3
            ? Task.FromException<int>(new SiloUnavailableException("gone"))
            : Task.FromResult(42));

        Assert.Equal(42, result);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task The_last_silo_failure_reaches_the_caller_once_the_resends_are_spent()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<GatewayTooBusyException>(async () =>
            await Calls(maxRetries: 2).ExecuteAsync(() => { attempts++; return Task.FromException<int>(new GatewayTooBusyException()); }));

        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task Refusals_timeouts_and_other_faults_are_not_resent()
    {
        foreach (var failure in new Exception[] { SessionErrors.NotFound("s"), new TimeoutException(), new InvalidOperationException() })
        {
            var attempts = 0;

            var thrown = await Assert.ThrowsAnyAsync<Exception>(async () =>
                await Calls(maxRetries: 5).ExecuteAsync(() => { attempts++; return Task.FromException<int>(failure); }));

            Assert.Same(failure, thrown);
            Assert.Equal(1, attempts);
        }
    }

    [Fact]
    public async Task No_resends_are_made_when_they_are_turned_off()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<SiloUnavailableException>(async () =>
            await Calls(maxRetries: 0).ExecuteAsync(() => { attempts++; return Task.FromException<int>(new SiloUnavailableException("gone")); }));

        Assert.Equal(1, attempts);
    }

    private static RetrySafeCalls Calls(int maxRetries) => new(Options.Create(new RetrySafeCallOptions
    {
        MaxRetryAttempts = maxRetries,
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(5),
    }));
}
