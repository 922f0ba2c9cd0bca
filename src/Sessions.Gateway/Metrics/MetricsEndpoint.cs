using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Gateway.Silo;
using Sessions.Gateway.Authorization;
using Sessions.Gateway.Realtime;

namespace Sessions.Gateway.Metrics;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format: this silo's activations and its view of the cluster, read from
/// Orleans, the realtime gauges, and every instrument of the product's meter (<see cref="MeterCollector"/>: webhook
/// deliveries and attempts). The OpenTelemetry Prometheus exporter is a pre-release here, so the text is written directly.
/// </summary>
public static class MetricsEndpoint
{
    public static WebApplication MapMetricsEndpoint(this WebApplication app)
    {
        // Listening from the start: measurements made before the first scrape count too.
        app.Services.GetRequiredService<MeterCollector>();
        app.MapGet("/metrics", (HttpContext context) =>
        {
            var services = context.RequestServices;
            var silo = services.GetRequiredService<ILocalSilo>();
            var text = new StringBuilder();
            Gauge(text, "sessions_activations", "Grain activations living on this silo.", silo.Activations);
            Gauge(text, "sessions_silo_status", "This silo's Orleans status: 1 created, 2 joining, 3 active, 4 shutting down, 5 stopping, 6 dead.", (int)silo.Status);
            Gauge(text, "sessions_cluster_active_silos", "Active silos in this silo's view of the cluster.", silo.ActiveSilos);
            Gauge(text, "sessions_cluster_view_version", "Version of the membership this silo last saw.", silo.MembershipVersion);
            Gauge(text, "sessions_realtime_connections", "Open WebSocket and SSE connections on this gateway.", services.GetRequiredService<RealtimeConnections>().Count);
            Gauge(text, "sessions_realtime_subscriptions", "Topic subscriptions (session and inbox) of this gateway's connections.", services.GetRequiredService<TopicSubscriptions>().Count);
            Gauge(text, "sessions_realtime_session_feeds", "Sessions this gateway is subscribed to (one observer each, whatever the connections).", services.GetRequiredService<SessionFeeds>().Count);
            Gauge(text, "sessions_realtime_inbox_feeds", "Inboxes this gateway is subscribed to.", services.GetRequiredService<InboxFeeds>().Count);
            services.GetRequiredService<MeterCollector>().WriteTo(text);
            return Results.Text(text.ToString(), "text/plain; version=0.0.4");
        }).WithTags("Health").RequireAuthorization(AuthPolicies.MetricsReader);
        return app;
    }

    private static void Gauge(StringBuilder text, string name, string help, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n");
}
