using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Serialization.Invocation;
using Orleans.CodeGeneration;
using Polly;
using Polly.Retry;
using Sessions.Abstractions;

namespace Sessions.Client;

/// <summary>
/// For Orleans clients (registered by <see cref="SessionsClientBuilderExtensions.UseSessionsCluster"/>): resends a grain
/// call whose outcome was lost to a silo failure or a broken gateway connection, when repeating it is harmless — a
/// read-only method (<c>[ReadOnly]</c>), a method marked <see cref="RetrySafeAttribute"/> (a revocation, a full
/// replacement), or a call whose argument says it is <see cref="IRetrySafe"/> (an append with a client_message_id). Other calls fail as they did, since they may have taken effect.
/// <para>
/// A timeout counts too: an Orleans client does not fail the calls in flight on a gateway connection that breaks, so
/// such a call only times out. Resending the same request is sound on a client, whose requests are serialized when sent
/// (inside a silo a request may be handed to a local grain as it is, which is why the silos do not use this filter).
/// </para>
/// </summary>
public sealed class RetrySafeCallFilter(IOptions<RetrySafeCallOptions> options) : IOutgoingGrainCallFilter
{
    private readonly ResiliencePipeline<Response?> _resend = options.Value.Pipeline(new RetryStrategyOptions<Response?>
    {
        ShouldHandle = args => ValueTask.FromResult(
            (args.Outcome.Exception ?? args.Outcome.Result?.Exception) is { } failure && (SiloFailures.Is(failure) || failure is TimeoutException)),
    });

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (!IsRetrySafe(context))
        {
            await context.Invoke();
            return;
        }

        // A failed call either throws from Invoke or leaves its exception in the response; the last one stands.
        context.Response = await _resend.ExecuteAsync(
            static async (call, _) =>
            {
                await call.Invoke();
                return call.Response;
            },
            context,
            CancellationToken.None);
    }

    private static bool IsRetrySafe(IOutgoingGrainCallContext context)
    {
        if (context.Request is IRequest { Options: var callOptions } && callOptions.HasFlag(InvokeMethodOptions.ReadOnly))
        {
            return true;
        }

        if (context.InterfaceMethod?.IsDefined(typeof(RetrySafeAttribute), inherit: false) == true)
        {
            return true;
        }

        var request = context.Request;
        for (var i = 0; i < request.GetArgumentCount(); i++)
        {
            if (request.GetArgument(i) is IRetrySafe { IsRetrySafe: true })
            {
                return true;
            }
        }

        return false;
    }
}
