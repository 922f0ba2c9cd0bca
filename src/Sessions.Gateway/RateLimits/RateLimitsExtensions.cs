using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Sessions.Gateway.Problems;

namespace Sessions.Gateway.RateLimits;

/// <summary>
/// Wires <see cref="CallerLimits"/> into ASP.NET's rate limiter middleware as its global limiter: every request takes
/// a permit from each limiter (held until the response ends, so a connection holds its permit of
/// <see cref="CallerLimits.Connections"/> for its whole life); a request whose route does not count against a limiter
/// gets its permit from that limiter's unlimited partition.
/// </summary>
public static class RateLimitsExtensions
{
    public static IServiceCollection AddGatewayRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.SectionName)
            .Validate(o => o.IsValid(), $"Every {RateLimitOptions.SectionName} value must be positive.")
            .ValidateOnStart();
        services.AddSingleton<CallerLimits>();
        services.AddRateLimiter(options => options.OnRejected = RejectAsync);
        services.AddOptions<RateLimiterOptions>().Configure<CallerLimits>((options, limits) =>
            // Open connections before the connect bucket: a connection refused for holding too many spends no token.
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PerRoute(limits.Appends, CallerLimit.Appends),
                PerRoute(limits.Connections, CallerLimit.Connects),
                PerRoute(limits.Connects, CallerLimit.Connects)));
        return services;
    }

    public static WebApplication UseGatewayRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    /// <summary>The caller's partition of <paramref name="byCaller"/> for a route of <paramref name="kind"/>; for others the unlimited one.</summary>
    private static PartitionedRateLimiter<HttpContext> PerRoute(PartitionedRateLimiter<string> byCaller, CallerLimit kind) =>
        byCaller.WithTranslatedKey<HttpContext>(
            context => context.GetEndpoint()?.Metadata.GetMetadata<CallerLimit>() == kind ? CallerKey.Of(context) : CallerLimits.Unlimited,
            leaveOpen: true);

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var retryAfter = RetryAfterSeconds(rejected.Lease);
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        var (code, detail) =
            context.GetEndpoint()?.Metadata.GetMetadata<CallerLimit>() == CallerLimit.Appends
                ? (ProblemCodes.RateLimited, "Too many messages from this caller; wait and send again.")
            : context.RequestServices.GetRequiredService<CallerLimits>().Connections.GetStatistics(CallerKey.Of(context)) is { CurrentAvailablePermits: 0 }
                ? (ProblemCodes.TooManyConnections, "This caller holds as many open connections as it may; close one first.")
            : (ProblemCodes.RateLimited, "Too many connections opened by this caller; wait and connect again.");
        ct.ThrowIfCancellationRequested();
        await ApiProblems.Of(code, detail, new Dictionary<string, object?> { ["retry_after"] = retryAfter }).ExecuteAsync(context).ConfigureAwait(false);
    }

    /// <summary>Whole seconds until a refused caller may try again (at least 1).</summary>
    internal static int RetryAfterSeconds(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
}
