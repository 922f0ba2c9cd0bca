using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Sessions.Abstractions;
using Sessions.Client;
using Sessions.Gateway.Silo;
using Sessions.Grains;

namespace Sessions.Host.Silo;

internal static class SessionsSiloBuilderExtensions
{
    /// <summary>The section of the grain collection options (<see cref="GrainCollectionOptions"/>, such as <c>CollectionAge</c>).</summary>
    public const string SiloSectionName = "Sessions:Silo";

    /// <summary>Set to <c>true</c> in Kubernetes: pod identity and pod-watching from <c>Microsoft.Orleans.Hosting.Kubernetes</c>.</summary>
    public const string KubernetesHostingVariable = "SESSIONS_KUBERNETES_HOSTING";

    /// <summary>
    /// This process as a silo of the Sessions cluster: membership in PostgreSQL (the ADO.NET clustering provider on
    /// the sessions database), its identity and ports (<see cref="SiloIdentity"/>), the membership timings
    /// (<see cref="MembershipTimings"/>), idle collection, the chat grains, and mutual TLS on the Orleans ports when
    /// configured (<see cref="OrleansTlsSettings"/>).
    /// </summary>
    public static ISiloBuilder UseSessionsSilo(this ISiloBuilder silo, IConfiguration configuration, string connectionString)
    {
        var identity = SiloIdentity.Read(configuration);
        silo.UseAdoNetClustering(adoNet =>
        {
            adoNet.Invariant = SessionsCluster.AdoNetInvariant;
            adoNet.ConnectionString = connectionString;
        });
        silo.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = identity.ClusterId;
            cluster.ServiceId = identity.ServiceId;
        });
        silo.Configure<EndpointOptions>(endpoints =>
        {
            endpoints.AdvertisedIPAddress = identity.AdvertisedAddress;
            endpoints.SiloPort = identity.SiloPort;
            endpoints.GatewayPort = identity.GatewayPort;

            // Named even when they are the advertised address: Kubernetes hosting binds every interface when unset.
            var listenOn = identity.ListenAddress();
            endpoints.SiloListeningEndpoint = new IPEndPoint(listenOn, identity.SiloPort);
            endpoints.GatewayListeningEndpoint = new IPEndPoint(listenOn, identity.GatewayPort);
        });
        if (identity.SiloName is { } name)
        {
            silo.Configure<SiloOptions>(options => options.SiloName = name);
        }

        silo.Configure<ClusterMembershipOptions>(options =>
        {
            MembershipTimings.ApplyDefaults(options);
            configuration.GetSection(MembershipTimings.SectionName).Bind(options);
        });
        silo.Configure<GrainCollectionOptions>(options => configuration.GetSection(SiloSectionName).Bind(options));
        silo.AddChatGrains(connectionString);
        silo.Services.AddSingleton<ILocalSilo, OrleansLocalSilo>();
        if (OrleansTlsSettings.Read(configuration) is { } tls)
        {
            silo.UseTls(options => OrleansTls.Configure(options, tls));
        }

        if (bool.TryParse(configuration[KubernetesHostingVariable], out var kubernetes) && kubernetes)
        {
            silo.UseKubernetesHosting();
        }

        return silo;
    }
}
