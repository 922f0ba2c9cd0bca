using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Sessions.Client;

/// <summary>
/// Resends a retry-safe grain call made inside a silo (the HTTP gateway's reads, and appends with a client_message_id)
/// when its silo failed under it: each attempt is a new call, on the schedule of <see cref="RetrySafeCallOptions"/>.
/// Silo failures only: inside the cluster a call to a silo that dies fails as soon as the silo is declared dead, and a
/// timeout means a slow grain, which a resend would only queue behind.
/// </summary>
public sealed class RetrySafeCalls(IOptions<RetrySafeCallOptions> options)
{
    private readonly ResiliencePipeline _resend = options.Value.Pipeline(new RetryStrategyOptions
    {
        ShouldHandle = args => ValueTask.FromResult(SiloFailures.Is(args.Outcome.Exception)),
    });

    public ValueTask<T> ExecuteAsync<T>(Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return _resend.ExecuteAsync(static async (call, _) => await call(), call, CancellationToken.None);
    }
}
