using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Sessions.Actors;

public static class SiloEndpointRoutes
{
    /// <summary>Maps the silo-to-silo protocol (see <see cref="SiloWire"/>); it answers only on the silo endpoint.</summary>
    public static IEndpointRouteBuilder MapSiloEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(SiloWire.PingPath, (HttpContext context, SiloEndpoint endpoint, IClusterMembership membership) =>
        {
            if (!endpoint.Accepted(context) || membership.Self is not { } self || !membership.IsServing)
            {
                return Results.NotFound();
            }

            context.Response.Headers[SiloWire.GenerationHeader] = self.Generation.ToString(CultureInfo.InvariantCulture);
            return Results.Ok();
        }).ExcludeFromDescription();

        routes.MapPost(SiloWire.CallPath, ReceiveCallAsync).ExcludeFromDescription();
        return routes;
    }

    private static async Task ReceiveCallAsync(HttpContext context)
    {
        var services = context.RequestServices;
        if (!services.GetRequiredService<SiloEndpoint>().Accepted(context))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var headers = context.Request.Headers;
        var call = new GrainCall(
            headers[SiloWire.GrainTypeHeader].ToString(),
            Uri.UnescapeDataString(headers[SiloWire.GrainKeyHeader].ToString()),
            headers[SiloWire.MethodHeader].ToString(),
            await ReadBodyAsync(context.Request).ConfigureAwait(false));
        _ = int.TryParse(headers[SiloWire.HopsHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var hops);
        _ = long.TryParse(headers[SiloWire.GenerationHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var generation);

        var response = await services.GetRequiredService<ClusterCallRouter>().ReceiveAsync(call, hops, generation, context.RequestAborted).ConfigureAwait(false);
        var (outcome, body) = response switch
        {
            { Error: { } error } => (SiloWire.ErrorOutcome, JsonSerializer.SerializeToUtf8Bytes(error, ActorsJsonContext.Default.GrainError)),
            { Result: { } result } => (SiloWire.ResultOutcome, result),
            _ => (SiloWire.EmptyOutcome, []),
        };
        context.Response.Headers[SiloWire.OutcomeHeader] = outcome;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 256);
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
