using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Sessions.Actors;

namespace Sessions.Gateway.Problems;

/// <summary>
/// The two places where a response can be an error without a handler having written it: an exception that escaped
/// every handler (a 500 that reveals nothing, or a framework error such as an unreadable request), and an empty
/// status response from routing itself (unknown route → 404, known route but wrong method → 405).
/// </summary>
public static class GatewayProblemsExtensions
{
    public static WebApplication UseGatewayProblems(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = WriteExceptionProblemAsync,
            AllowStatusCode404Response = true,
            // Unreadable requests are the client's fault and already answered: no error log with a stack trace for them.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
        });
        app.UseStatusCodePages(context => WriteStatusProblemAsync(context.HttpContext));
        return app;
    }

    private static Task WriteExceptionProblemAsync(HttpContext context)
    {
        var problem = context.Features.Get<IExceptionHandlerFeature>()?.Error switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                ApiProblems.Of(ProblemCodes.PayloadTooLarge, "The request body is too large."),
            BadHttpRequestException bad =>
                ApiProblems.Of(ProblemCatalog.CodeForStatus(bad.StatusCode), "The request could not be read.", status: bad.StatusCode),
            GrainException { Code: RuntimeErrors.SiloUnavailable } =>
                ApiProblems.Of(ProblemCodes.SiloUnavailable, "The service is starting or stopping; try again shortly."),
            _ => ApiProblems.Of(
                ProblemCodes.Internal,
                "An unexpected error occurred. It has been logged.",
                new Dictionary<string, object?> { ["trace_id"] = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier }),
        };
        return problem.ExecuteAsync(context);
    }

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
}
