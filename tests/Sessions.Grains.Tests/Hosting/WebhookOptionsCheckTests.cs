using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sessions.Grains.Webhooks;

namespace Sessions.Grains.Tests.Hosting;

/// <summary><c>Sessions:Webhooks</c> is checked where the grains bind it: nonsense stops the silo before it starts.</summary>
public sealed class WebhookOptionsCheckTests
{
    [Fact]
    public void The_shipped_webhook_defaults_are_sane_and_nonsense_is_caught()
    {
        Assert.True(ChatGrainsSiloBuilderExtensions.WebhooksAreSane(new WebhookOptions()));
        Assert.False(ChatGrainsSiloBuilderExtensions.WebhooksAreSane(new WebhookOptions { DefaultTimeout = TimeSpan.FromMinutes(10) }));
        Assert.False(ChatGrainsSiloBuilderExtensions.WebhooksAreSane(new WebhookOptions { DefaultMaxAttempts = 0 }));
        Assert.False(ChatGrainsSiloBuilderExtensions.WebhooksAreSane(new WebhookOptions { DefaultHistoryCount = 2000 }));
        Assert.False(ChatGrainsSiloBuilderExtensions.WebhooksAreSane(new WebhookOptions { DefaultRetryBaseDelay = TimeSpan.FromMinutes(20) }));
        Assert.False(ChatGrainsSiloBuilderExtensions.WebhooksAreSane(new WebhookOptions { DefaultDebounce = TimeSpan.FromMinutes(2) }));
        Assert.False(ChatGrainsSiloBuilderExtensions.WebhooksAreSane(new WebhookOptions { MaxTimeout = TimeSpan.FromDays(25) }));
    }

    [Fact]
    public async Task A_silo_with_nonsense_webhook_defaults_does_not_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Sessions:Webhooks:DefaultMaxAttempts"] = "0" });
        builder.UseOrleans(silo => silo.UseLocalhostClustering().AddChatGrains("Host=127.0.0.1;Database=never-opened"));
        using var host = builder.Build();

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Every Sessions:Webhooks size, count and time must be positive", refused.Message, StringComparison.Ordinal);
    }
}
