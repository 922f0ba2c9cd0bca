using Microsoft.AspNetCore.Builder;
using Sessions.Gateway.Api.Agents;
using Sessions.Gateway.Api.Deliveries;
using Sessions.Gateway.Api.Inbox;
using Sessions.Gateway.Api.Messages;
using Sessions.Gateway.Api.Participants;
using Sessions.Gateway.Api.Presence;
using Sessions.Gateway.Api.Replies;
using Sessions.Gateway.Api.Sessions;
using Sessions.Gateway.Health;
using Sessions.Gateway.Problems;
using Sessions.Gateway.RateLimits;
using Sessions.Gateway.Realtime;

namespace Sessions.Gateway.Hosting;

public static class GatewayPipelineExtensions
{
    /// <summary>
    /// Error handling first (so every failure is a problem+json), then the per-caller rate limits (routing ran before:
    /// they read the route's metadata), health, OpenAPI and the API routes.
    /// </summary>
    public static WebApplication UseGatewayPipeline(this WebApplication app)
    {
        app.UseGatewayProblems();
        app.UseWebSockets();
        app.UseGatewayRateLimits();
        app.MapHealthEndpoints();
        app.MapMetricsEndpoint();
        app.MapOpenApi();
        app.MapParticipantsApi();
        app.MapSessionsApi();
        app.MapMessagesApi();
        app.MapRepliesApi();
        app.MapPresenceApi();
        app.MapRealtimeEndpoints();
        app.MapInboxApi();
        app.MapAgentsApi();
        app.MapDeliveriesApi();
        app.MapRedeliveryApi();
        return app;
    }
}
