using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Sessions.Actors;

namespace Sessions.Gateway.Problems;

/// <summary>
/// Turns the errors a grain raises on purpose (<see cref="GrainException"/> with a known code) into their problems,
/// so handlers stay on the happy path. Unknown codes and other exceptions go on to the exception handler: a 500.
/// </summary>
internal sealed partial class GrainErrorFilter(ILogger<GrainErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (GrainException e) when (ApiProblems.IsMapped(e))
        {
            return ApiProblems.FromGrain(e);
        }
        catch (TimeoutException e)
        {
            // The call may still complete; only the caller gave up. Not safe to retry blindly (unless idempotent).
            LogTimeout(logger, context.HttpContext.Request.Path, e.Message);
            return ApiProblems.Of(ProblemCodes.Timeout, "The session did not answer in time; the request may or may not have taken effect.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain call for {Path} timed out: {Reason}")]
    private static partial void LogTimeout(ILogger logger, string path, string reason);
}
