using System.Net;
using System.Net.Sockets;
using Sessions.Grains.Webhooks;

namespace Sessions.Grains.Tests.Agents;

/// <summary>The URL check with the shipped defaults (loopback and private networks refused) and a resolver the test controls.</summary>
public sealed class WebhookUrlCheckTests
{
    private static readonly IPAddress Public = IPAddress.Parse("93.184.215.14");

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://127.1.2.3/hook")]
    [InlineData("http://2130706433/hook")] // 127.0.0.1 written as one number
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    [InlineData("http://localhost:5000/hook")]
    [InlineData("http://LOCALHOST/hook")]
    [InlineData("http://api.localhost/hook")]
    [InlineData("http://localhost./hook")]
    public async Task Loopback_is_refused_by_default_and_allowed_when_configured(string url)
    {
        var refusal = await Check(new WebhookOptions()).RefusalAsync(url, CancellationToken.None);
        var allowed = await Check(new WebhookOptions { AllowLoopback = true }).RefusalAsync(url, CancellationToken.None);

        Assert.NotNull(refusal);
        Assert.Contains("loopback", refusal, StringComparison.Ordinal);
        Assert.Null(allowed);
    }

    [Theory]
    [InlineData("http://10.0.0.1/")]
    [InlineData("http://172.16.5.4/")]
    [InlineData("http://192.168.1.1/")]
    [InlineData("http://169.254.169.254/")]
    [InlineData("http://100.64.0.1/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://[fc00::1]/")]
    public async Task Private_networks_are_refused_by_default_even_with_loopback_allowed(string url)
    {
        Assert.NotNull(await Check(new WebhookOptions { AllowLoopback = true }).RefusalAsync(url, CancellationToken.None));
        Assert.Null(await Check(new WebhookOptions { AllowPrivateNetworks = true }).RefusalAsync(url, CancellationToken.None));
    }

    [Fact]
    public async Task A_name_is_refused_when_any_address_it_resolves_to_is_refused()
    {
        var check = Check(new WebhookOptions(), (_, _) => Task.FromResult(new[] { Public, IPAddress.Parse("10.0.0.7") }));

        var refusal = await check.RefusalAsync("https://hooks.example.com/a", CancellationToken.None);

        Assert.NotNull(refusal);
        Assert.Contains("hooks.example.com", refusal, StringComparison.Ordinal);
        Assert.Contains("10.0.0.7", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_that_resolves_to_public_addresses_only_is_accepted() =>
        Assert.Null(await Check(new WebhookOptions(), (_, _) => Task.FromResult(new[] { Public })).RefusalAsync("https://hooks.example.com/a", CancellationToken.None));

    [Fact]
    public async Task A_name_that_does_not_resolve_is_refused_with_a_clear_detail()
    {
        var failing = Check(new WebhookOptions(), (_, _) => Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound)));
        var empty = Check(new WebhookOptions(), (_, _) => Task.FromResult(Array.Empty<IPAddress>()));

        Assert.Contains("could not be resolved", await failing.RefusalAsync("https://nowhere.example/a", CancellationToken.None), StringComparison.Ordinal);
        Assert.Contains("could not be resolved", await empty.RefusalAsync("https://nowhere.example/a", CancellationToken.None), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_url_longer_than_the_maximum_is_refused()
    {
        var check = Check(new WebhookOptions { MaxUrlLength = 40 });

        Assert.Null(await check.RefusalAsync("https://93.184.215.14/" + new string('a', 18), CancellationToken.None));
        Assert.Contains("at most 40", await check.RefusalAsync("https://93.184.215.14/" + new string('a', 19), CancellationToken.None), StringComparison.Ordinal);
    }

    private static WebhookUrlCheck Check(WebhookOptions options, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null) =>
        new(options, resolve ?? ((host, _) => throw new InvalidOperationException($"The test did not expect {host} to be resolved.")));
}
