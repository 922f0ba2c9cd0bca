using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Sessions.Grains.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// Registers the one <see cref="WebhookSender"/> of the process (one HttpClient, one circuit per agent). Binding
    /// <see cref="WebhookOptions"/> from configuration is the host's part.
    /// </summary>
    public static IServiceCollection AddWebhookSender(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WebhookSender>();
        return services;
    }
}
