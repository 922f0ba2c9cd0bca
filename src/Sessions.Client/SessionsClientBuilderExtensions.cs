using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Sessions.Abstractions;

namespace Sessions.Client;

public static class SessionsClientBuilderExtensions
{
    /// <summary>
    /// Points an Orleans client at a Sessions cluster: its gateways from the cluster's membership table in PostgreSQL
    /// (ADO.NET clustering), its cluster and service ids, and <see cref="RetrySafeCallFilter"/> for calls that are safe
    /// to repeat, and mutual TLS when <see cref="ClusterClientOptions.Tls"/> is set. For a host of your own:
    /// <c>builder.UseOrleansClient(client => client.UseSessionsCluster(options))</c>.
    /// </summary>
    public static IClientBuilder UseSessionsCluster(this IClientBuilder builder, ClusterClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString);
        builder.UseAdoNetClustering(adoNet =>
        {
            adoNet.Invariant = SessionsCluster.AdoNetInvariant;
            adoNet.ConnectionString = options.ConnectionString;
        });
        builder.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ServiceId;
        });
        builder.Configure<GatewayOptions>(gateways => gateways.GatewayListRefreshPeriod = options.GatewayListRefreshPeriod);
        builder.Configure<ClientMessagingOptions>(messaging => messaging.ResponseTimeout = options.ResponseTimeout);
        builder.Services.AddSingleton(Options.Create(options.Retries));
        builder.AddOutgoingGrainCallFilter<RetrySafeCallFilter>();
        if (options.Tls is { } tls)
        {
            builder.UseTls(tlsOptions => OrleansTls.Configure(tlsOptions, tls));
        }

        return builder;
    }
}
