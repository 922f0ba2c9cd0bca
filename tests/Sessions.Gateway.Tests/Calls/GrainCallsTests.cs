using Microsoft.Extensions.DependencyInjection;
using Sessions.Abstractions;
using Sessions.Gateway.Calls;

namespace Sessions.Gateway.Tests.Calls;

/// <summary>The gateway's shortcut to session grains makes the very references Orleans' grain factory makes.</summary>
public sealed class GrainCallsTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Theory]
    [InlineData("s-1")]
    [InlineData("a.b:c@d-e_f")]
    public void A_session_reference_is_the_one_the_grain_factory_makes(string sessionId)
    {
        var factory = gateway.Gateway.Services.GetRequiredService<IGrainFactory>();
        var shortcut = gateway.Gateway.Services.GetRequiredService<GrainCalls>();

        var made = (GrainReference)shortcut.Session(sessionId);
        var expected = (GrainReference)factory.GetGrain<IChatSessionGrain>(sessionId);

        Assert.Equal(expected.GrainId, made.GrainId);
        Assert.Equal(expected.InterfaceType, made.InterfaceType);
        Assert.Equal(expected, made);
    }
}
