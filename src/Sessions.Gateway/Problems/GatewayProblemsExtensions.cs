using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sessions.Abstractions;
using Sessions.Client;

namespace Sessions.Gateway.Problems;

/// <summary>
/// The two places where a response can be an error without a handler having written it: an exception that escaped
/// the handler, and an empty status response from routing itself (unknown route → 404, known route but wrong method →
/// 405). Handlers stay on the happy path: what a grain call ends in other than its result becomes its problem here —
/// a refusal (<see cref="SessionException"/> with a known code), a silo that went away under the call (a retry-safe
/// call was already resent by <see cref="RetrySafeCalls"/>), a timeout — and anything else is a 500 that reveals
/// nothing, as is a framework error such as an unreadable request its own 4xx.
/// </summary>
public static partial class GatewayProblemsExtensions
{
    public static WebApplication UseGatewayProblems(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = WriteExceptionProblemAsync,
            AllowStatusCode404Response = true,
            // Only faults get the middleware's error log with a stack trace: not the client's mistakes, not refusals,
            // and not silo failures or timeouts, which are logged below as warnings.
            SuppressDiagnosticsCallback = context => IsExpected(context.Exception),
        });
        app.UseStatusCodePages(context => WriteStatusProblemAsync(context.HttpContext));
        return app;
    }

    private static bool IsExpected(Exception exception) => exception is BadHttpRequestException or TimeoutException
        || (exception is SessionException refusal && ApiProblems.IsMapped(refusal))
        || SiloFailures.Is(exception);

    private static Task WriteExceptionProblemAsync(HttpContext context) =>
        ProblemFor(context, context.Features.Get<IExceptionHandlerFeature>()?.Error).ExecuteAsync(context);

    private static ProblemHttpResult ProblemFor(HttpContext context, Exception? error)
    {
        switch (error)
        {
            case SessionException refusal when ApiProblems.IsMapped(refusal):
                return ApiProblems.FromGrain(refusal);
            case TimeoutException timeout:
                // The call may still complete; only the caller gave up.
                LogTimeout(Logger(context), context.Request.Path, timeout.Message);
                return ApiProblems.Of(ProblemCodes.Timeout, "The session did not answer in time; the request may or may not have taken effect.");
            case { } failure when SiloFailures.Is(failure):
                LogInterrupted(Logger(context), context.Request.Path, failure.GetType().Name, failure.Message);
                return ApiProblems.Of(
                    ProblemCodes.CallInterrupted,
                    "A silo failed while handling the request; it may or may not have taken effect. Send it again (an append is safe to resend with its client_message_id).");
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                return ApiProblems.Of(ProblemCodes.PayloadTooLarge, "The request body is too large.");
            case BadHttpRequestException bad:
                return ApiProblems.Of(ProblemCatalog.CodeForStatus(bad.StatusCode), "The request could not be read.", status: bad.StatusCode);
            default:
                return ApiProblems.Of(
                    ProblemCodes.Internal,
                    "An unexpected error occurred. It has been logged.",
                    new Dictionary<string, object?> { ["trace_id"] = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier });
        }
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GatewayProblemsExtensions));

    private static Task WriteStatusProblemAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        if (status == StatusCodes.Status415UnsupportedMediaType)
        {
            // Routing refuses a body whose Content-Type no route accepts before any handler runs.
            return ApiProblems.UnsupportedMediaType(context.Request.ContentType).ExecuteAsync(context);
        }

        var code = ProblemCatalog.CodeForStatus(status);
        var detail = code switch
        {
            ProblemCodes.NotFound => $"No resource at {context.Request.Path}.",
            ProblemCodes.MethodNotAllowed => $"{context.Request.Method} is not allowed on {context.Request.Path}.",
            _ => ProblemCatalog.TitleOf(code) + ".",
        };
        return ApiProblems.Of(code, detail, status: status).ExecuteAsync(context);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain call for {Path} interrupted ({ExceptionType}): {Reason}")]
    private static partial void LogInterrupted(ILogger logger, string path, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain call for {Path} timed out: {Reason}")]
    private static partial void LogTimeout(ILogger logger, string path, string reason);
}
