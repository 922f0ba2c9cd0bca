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

    [Fact]
    public void The_silo_gets_its_identity_cluster_and_database_settings()
    {
        Assert.Superset(
            new HashSet<string>
            {
                "ConnectionStrings__Sessions", "ASPNETCORE_URLS", "POD_NAME", "POD_IP",
                "SESSIONS_CLUSTER_ID", "SESSIONS_SILO_PORT", "SESSIONS_SILO_LISTEN_ANY",
            },
            SiloBase.EnvironmentVariableNames.ToHashSet());
    }

    [Fact]
    public void No_variable_is_set_twice()
    {
        var names = SiloBase.EnvironmentVariableNames;

        Assert.Equal(names.Distinct().Count(), names.Count);
    }
}
