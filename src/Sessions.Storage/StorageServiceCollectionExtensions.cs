using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Sessions.Actors;
using Sessions.Storage.Membership;
using Sessions.Storage.Messages;
using Sessions.Storage.Participants;
using Sessions.Storage.Sessions;

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
        return services;
    }

    /// <summary>
    /// Registers the membership table of cluster <paramref name="clusterId"/> (one singleton <see cref="IMembershipTable"/>)
    /// over the data source that <see cref="AddSessionsStorage"/> registers. Clusters sharing a database keep apart by id.
    /// </summary>
    public static IServiceCollection AddSessionsMembership(this IServiceCollection services, string clusterId)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        services.AddSingleton<IMembershipTable>(provider => new PostgresMembershipTable(provider.GetRequiredService<NpgsqlDataSource>(), clusterId));
        return services;
    }
}
