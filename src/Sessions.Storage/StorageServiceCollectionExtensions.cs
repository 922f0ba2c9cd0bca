using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Sessions.Storage.Agents;
using Sessions.Storage.Deliveries;
using Sessions.Storage.Inbox;
using Sessions.Storage.Messages;
using Sessions.Storage.Participants;
using Sessions.Storage.Replies;
using Sessions.Storage.Sessions;
using Sessions.Storage.Tokens;

namespace Sessions.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the sessions database (one singleton <see cref="NpgsqlDataSource"/>, disposed with the
    /// container) and the stores over it. Migrations are applied separately, by the host, at start-up.
    /// </summary>
    public static IServiceCollection AddSessionsStorage(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.AddSingleton(provider => SessionsDataSource.Create(connectionString, provider.GetService<ILoggerFactory>()));
        services.AddSingleton<ParticipantStore>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<MessageStore>();
        services.AddSingleton<ReplyStore>();
        services.AddSingleton<InboxStore>();
        services.AddSingleton<ReadCursorStore>();
        services.AddSingleton<AgentStore>();
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<DispatchBacklog>();
        services.AddSingleton<ParticipantTokenStore>();
        return services;
    }
}
