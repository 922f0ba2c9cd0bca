using Sessions.Deploy.Tests.Support;

namespace Sessions.Deploy.Tests.K8s;

public sealed class SiloDeploymentTests
{
    /// <summary>How long a silo needs after SIGTERM to leave the membership table and drain.</summary>
    private const int GracefulLeaveSeconds = 10;

    [Fact]
    public void The_selector_matches_the_pod_labels_which_name_the_sessions_silo()
    {
        var selector = SiloBase.Deployment.Root.StringMap("spec.selector.matchLabels");

        Assert.NotEmpty(selector);
        Assert.All(selector, label => Assert.Equal(label.Value, SiloBase.PodLabels.GetValueOrDefault(label.Key)));
        Assert.Equal("sessions", SiloBase.PodLabels["app.kubernetes.io/name"]);
        Assert.Equal("silo", SiloBase.PodLabels["app.kubernetes.io/component"]);
    }

    [Fact]
    public void Starts_three_silos()
    {
        Assert.Equal(3, SiloBase.Deployment.Root.Integer("spec.replicas"));
    }

    [Fact]
    public void Exposes_http_on_8080_and_the_silo_endpoint_on_11111()
    {
        Assert.Equal(new Dictionary<string, int> { ["http"] = 8080, ["silo"] = 11111 }, SiloBase.ContainerPorts);
    }

    [Fact]
    public void Readiness_probes_readyz_on_the_http_port()
    {
        AssertHttpProbe("readinessProbe", "/readyz");
    }

    [Fact]
    public void Liveness_and_startup_probe_healthz_on_the_http_port()
    {
        AssertHttpProbe("livenessProbe", "/healthz");
        AssertHttpProbe("startupProbe", "/healthz");
    }

    [Fact]
    public void The_grace_period_outlasts_the_pre_stop_sleep_and_the_graceful_leave()
    {
        var grace = SiloBase.PodSpec.Integer("terminationGracePeriodSeconds");
        var preStopSleep = PreStopSleepSeconds();

        Assert.NotNull(grace);
        Assert.True(preStopSleep > 0, "the preStop hook should sleep while the endpoint removal spreads");
        Assert.True(grace > preStopSleep + GracefulLeaveSeconds,
            $"terminationGracePeriodSeconds {grace} leaves no room for a {GracefulLeaveSeconds} s leave after a {preStopSleep} s preStop sleep");
    }

    [Fact]
    public void Takes_its_name_and_address_from_the_downward_api()
    {
        var env = SiloBase.Container.Items("env");

        Assert.Equal("metadata.name", env.Named("POD_NAME")?.Scalar("valueFrom.fieldRef.fieldPath"));
        Assert.Equal("status.podIP", env.Named("POD_IP")?.Scalar("valueFrom.fieldRef.fieldPath"));
    }

    [Fact]
    public void Reads_the_connection_string_from_key_connection_string_of_secret_sessions_db()
    {
        var connectionString = SiloBase.Container.Items("env").Named("ConnectionStrings__Sessions");

        Assert.NotNull(connectionString);
        Assert.Equal("sessions-db", connectionString.Scalar("valueFrom.secretKeyRef.name"));
        Assert.Equal("connection-string", connectionString.Scalar("valueFrom.secretKeyRef.key"));
        Assert.Null(connectionString.Scalar("value"));
    }

    [Fact]
    public void The_base_ships_no_secret()
    {
        Assert.DoesNotContain(SiloBase.Manifests, m => m.Kind == "Secret");
        Assert.Null(SiloBase.Kustomization.File.Root.At("secretGenerator"));
    }

    [Fact]
    public void Serves_http_on_all_interfaces_of_the_http_container_port()
    {
        Assert.Equal($"http://0.0.0.0:{SiloBase.ContainerPorts["http"]}", SiloBase.EnvironmentValue("ASPNETCORE_URLS"));
    }

    [Fact]
    public void The_silo_port_setting_equals_the_silo_container_port()
    {
        Assert.Equal(SiloBase.ContainerPorts["silo"].ToString(System.Globalization.CultureInfo.InvariantCulture), SiloBase.EnvironmentValue("SESSIONS_SILO_PORT"));
    }

    [Fact]
    public void Runs_as_a_non_root_user_without_privilege_escalation()
    {
        Assert.Equal("true", SiloBase.PodSpec.Scalar("securityContext.runAsNonRoot"));
        Assert.True(SiloBase.PodSpec.Integer("securityContext.runAsUser") > 0);
        Assert.Equal("false", SiloBase.Container.Scalar("securityContext.allowPrivilegeEscalation"));
    }

    [Fact]
    public void Requests_and_limits_cpu_and_memory()
    {
        foreach (var path in new[] { "resources.requests.cpu", "resources.requests.memory", "resources.limits.cpu", "resources.limits.memory" })
        {
            Assert.False(string.IsNullOrEmpty(SiloBase.Container.Scalar(path)), $"the silo container sets no {path}");
        }
    }

    [Fact]
    public void Uses_the_documented_placeholder_image()
    {
        Assert.Equal("sessions:latest", SiloBase.Container.Scalar("image"));
    }

    private static void AssertHttpProbe(string probe, string path)
    {
        Assert.Equal(path, SiloBase.Container.Scalar($"{probe}.httpGet.path"));
        var port = SiloBase.Container.Scalar($"{probe}.httpGet.port");
        Assert.True(port == "http" || port == SiloBase.ContainerPorts["http"].ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{probe} probes port '{port}', not the http port");
    }

    // The hook is `sleep: {seconds: N}`, or exec of `sleep N` directly or through `sh -c`.
    private static int PreStopSleepSeconds()
    {
        var preStop = SiloBase.Container.At("lifecycle.preStop") ?? throw new InvalidOperationException("The silo container has no preStop hook.");
        if (preStop.Integer("sleep.seconds") is { } seconds)
        {
            return seconds;
        }

        var command = string.Join(' ', preStop.Items("exec.command").Select(part => part.ToString()));
        var match = System.Text.RegularExpressions.Regex.Match(command, @"\bsleep\s+(\d+)");
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }
}
