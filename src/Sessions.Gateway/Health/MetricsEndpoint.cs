using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Actors;

namespace Sessions.Gateway.Health;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format: this silo's activations and its view of the cluster.
/// (The OpenTelemetry Prometheus exporter does not restore here, so the few gauges are written directly.)
/// </summary>
public static class MetricsEndpoint
{
    public static WebApplication MapMetricsEndpoint(this WebApplication app)
    {
        app.MapGet("/metrics", (HttpContext context) =>
        {
            var services = context.RequestServices;
            var membership = services.GetRequiredService<MembershipService>();
            var text = new StringBuilder();
            Gauge(text, "sessions_activations", "Grain activations living on this silo.", services.GetRequiredService<ISiloStatistics>().ActivationCount);
            Gauge(text, "sessions_silo_status", "This silo's membership status: 1 joining, 2 active, 3 shutting down, 4 dead, 0 not joined.", (int?)membership.Status ?? 0);
            Gauge(text, "sessions_cluster_active_silos", "Active silos in this silo's view of the cluster.", membership.View.ActiveSilos.Length);
            Gauge(text, "sessions_cluster_view_version", "Version of the membership table this silo last read.", membership.View.Version);
            return Results.Text(text.ToString(), "text/plain; version=0.0.4");
        }).WithTags("Health");
        return app;
    }

    private static void Gauge(StringBuilder text, string name, string help, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n");
}
