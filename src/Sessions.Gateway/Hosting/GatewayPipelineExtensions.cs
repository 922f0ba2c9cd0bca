using Microsoft.AspNetCore.Builder;
using Sessions.Gateway.Api.Agents;
using Sessions.Gateway.Api.Deliveries;
using Sessions.Gateway.Api.Inbox;
using Sessions.Gateway.Api.Messages;
using Sessions.Gateway.Api.Participants;
using Sessions.Gateway.Api.Presence;
using Sessions.Gateway.Api.Replies;
using Sessions.Gateway.Api.Sessions;
using Sessions.Gateway.Api.Tokens;
using Sessions.Gateway.Authentication;
using Sessions.Gateway.Health;
using Sessions.Gateway.Metrics;
using Sessions.Gateway.Problems;
using Sessions.Gateway.RateLimits;
using Sessions.Gateway.Realtime;

namespace Sessions.Gateway.Hosting;

public static class GatewayPipelineExtensions
{
    /// <summary>
    /// Error handling first (so every failure is a problem+json), then authentication (every route but the health
    /// checks needs a bearer token), then the per-caller rate limits, which count by the authenticated credential
    /// (routing ran before: both read the route's metadata), then authorization, so that refused attempts (a session
    /// that is not the caller's) draw on the caller's buckets too, then health, OpenAPI and the API routes.
    /// </summary>
    public static WebApplication UseGatewayPipeline(this WebApplication app)
    {
        app.UseGatewayProblems();
        app.UseWebSockets();
        app.UseGatewayAuthentication();
        app.UseGatewayRateLimits();
        app.UseAuthorization();
        app.MapHealthEndpoints();
        app.MapMetricsEndpoint();
        app.MapOpenApi();
        app.MapParticipantsApi();
        app.MapTokensApi();
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
