using Sessions.Deploy.Tests.Support;

namespace Sessions.Deploy.Tests.K8s;

/// <summary>
/// A misspelt or stale setting in a manifest is silently ignored by the host, so every variable the silo container
/// gets must be a name the host's sources read (see <see cref="HostSource"/> for the framework-read exceptions).
/// </summary>
public sealed class HostSettingsTests
{
    public static TheoryData<string> EnvironmentVariables => new(SiloBase.EnvironmentVariableNames);

    [Theory]
    [MemberData(nameof(EnvironmentVariables))]
    public void Every_environment_variable_the_silo_gets_is_one_the_host_reads(string name)
    {
        Assert.True(HostSource.Reads(name), $"The Deployment or its ConfigMap sets {name}, but no source under src/ reads \"{name}\".");
    }

    /// <summary>The host's SESSIONS_* settings the silos do without, and why; every other one the Deployment sets.</summary>
    private static readonly Dictionary<string, string> SessionsSettingsLeftOut = new(StringComparer.Ordinal)
    {
        ["SESSIONS_ADVERTISED_ADDRESS"] = "the silo advertises POD_IP, its fallback",
        ["SESSIONS_DATA_DIR"] = "the data folder of the embedded PostgreSQL, which runs only without a connection string",
        ["SESSIONS_ORLEANS_TLS_CERTIFICATE"] = "Orleans TLS is opt-in: an overlay mounts the certificate Secret and sets it (docs/security.md)",
        ["SESSIONS_ORLEANS_TLS_KEY"] = "Orleans TLS is opt-in, as SESSIONS_ORLEANS_TLS_CERTIFICATE",
        ["SESSIONS_ORLEANS_TLS_CA"] = "Orleans TLS is opt-in, as SESSIONS_ORLEANS_TLS_CERTIFICATE",
    };

    [Fact]
    public void The_silo_gets_its_identity_cluster_and_database_settings()
    {
        Assert.Superset(
            new HashSet<string>
            {
                "ConnectionStrings__Sessions", "ASPNETCORE_URLS", "POD_NAME", "POD_IP", "POD_NAMESPACE",
                "SESSIONS_CLUSTER_ID", "SESSIONS_SERVICE_ID", "SESSIONS_SILO_PORT", "SESSIONS_GATEWAY_PORT",
                "SESSIONS_SILO_LISTEN_ANY", "SESSIONS_KUBERNETES_HOSTING",
            },
            SiloBase.EnvironmentVariableNames.ToHashSet());
    }

    [Fact]
    public void Every_SESSIONS_setting_the_host_reads_is_set_unless_deliberately_left_out()
    {
        var missing = HostSource.SessionsVariables.Except(SessionsSettingsLeftOut.Keys).Except(SiloBase.EnvironmentVariableNames);

        Assert.True(!missing.Any(), $"The host reads {string.Join(", ", missing)}, which the Deployment does not set: set it, or add it to {nameof(SessionsSettingsLeftOut)} with the reason.");
    }

    [Fact]
    public void The_settings_left_out_are_read_by_the_host_and_really_left_out()
    {
        Assert.All(SessionsSettingsLeftOut.Keys, name =>
        {
            Assert.Contains(name, HostSource.SessionsVariables);
            Assert.DoesNotContain(name, SiloBase.EnvironmentVariableNames);
        });
    }

    [Fact]
    public void No_variable_is_set_twice()
    {
        var names = SiloBase.EnvironmentVariableNames;

        Assert.Equal(names.Distinct().Count(), names.Count);
    }
}
