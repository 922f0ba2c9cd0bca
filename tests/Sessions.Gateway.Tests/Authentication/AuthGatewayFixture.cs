using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sessions.Host;
using Sessions.Gateway.Authentication;
using Sessions.Gateway.Hosting;

namespace Sessions.Gateway.Tests.Authentication;

/// <summary>
/// A gateway with short authentication timings, so that revocations and expiries are seen in a second or two, and a
/// probe route, <c>GET /test/caller</c>, that answers with the caller authentication made of the request.
/// </summary>
public sealed class AuthGatewayFixture : GatewayFixture
{
    public static readonly TimeSpan TokenCacheDuration = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan ConnectionCheckInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Room for a slow machine on top of each bound.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    public const string CallerPath = "/test/caller";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Sessions:Auth:TokenCacheDuration"] = TokenCacheDuration.ToString("c", CultureInfo.InvariantCulture),
        ["Sessions:Auth:ConnectionCheckInterval"] = ConnectionCheckInterval.ToString("c", CultureInfo.InvariantCulture),
    };

    protected override void BeforeStart(HostApp gateway) =>
        gateway.App.MapGet(CallerPath, (HttpContext context) => Caller.From(context.User) is { } caller
            ? Results.Text(string.Join('|',
                caller.IsAdmin ? "admin" : "participant",
                caller.CredentialId,
                caller.ParticipantId,
                caller.ParticipantKind,
                caller.TokenId,
                caller.ExpiresAt?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)))
            : Results.Text("anonymous"));
}
