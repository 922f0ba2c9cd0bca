using Sessions.Deploy.Tests.Support;

namespace Sessions.Deploy.Tests.K8s;

public sealed class SiloDeploymentTests
{
    /// <summary>
    /// How long a silo may need after SIGTERM to drain HTTP and leave the Orleans cluster gracefully: 2-6 s was measured
    /// under load, and this leaves a margin.
    /// </summary>
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
    public void Exposes_http_on_8080_the_orleans_silo_port_on_11111_and_the_orleans_gateway_on_30000()
    {
        Assert.Equal(
            new Dictionary<string, int> { [SiloObjects.HttpPort] = 8080, [SiloObjects.SiloPort] = 11111, [SiloObjects.GatewayPort] = 30000 },
            SiloBase.ContainerPorts);
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
    public void Reads_the_connection_string_from_key_connection_string_of_secret_sessions_db()
    {
        var connectionString = SiloBase.Container.Items("env").Named("ConnectionStrings__Sessions");

        Assert.NotNull(connectionString);
        Assert.Equal("sessions-db", connectionString.Scalar("valueFrom.secretKeyRef.name"));
        Assert.Equal("connection-string", connectionString.Scalar("valueFrom.secretKeyRef.key"));
        Assert.Null(connectionString.Scalar("value"));
    }

    [Fact]
    public void Reads_the_admin_key_from_key_admin_key_of_secret_sessions_admin()
    {
        var adminKey = SiloBase.Container.Items("env").Named("SESSIONS_ADMIN_KEY");

        Assert.NotNull(adminKey);
        Assert.Equal("sessions-admin", adminKey.Scalar("valueFrom.secretKeyRef.name"));
        Assert.Equal("admin-key", adminKey.Scalar("valueFrom.secretKeyRef.key"));
        Assert.Null(adminKey.Scalar("value"));
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
    public void The_port_settings_equal_the_container_ports()
    {
        SiloChecks.PortSettingsEqualTheContainerPorts(SiloBase.Objects);
    }

    [Theory]
    [InlineData("SESSIONS_SILO_PORT")]
    [InlineData("SESSIONS_GATEWAY_PORT")]
    public void The_configmap_sets_the_orleans_ports_explicitly(string variable)
    {
        // The host has defaults for both, but a reader of the manifests should not need to know them.
        Assert.Contains(variable, SiloBase.ConfigMap.Root.StringMap("data").Keys);
    }

    [Fact]
    public void The_orleans_endpoints_listen_on_every_address_of_the_pod()
    {
        // So that `kubectl port-forward` (which connects on the pod's loopback) reaches them; the silo still
        // advertises POD_IP.
        Assert.Equal("true", SiloBase.EnvironmentValue("SESSIONS_SILO_LISTEN_ANY"));
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
        Assert.True(SiloBase.Objects.ResolvePort(port) == SiloBase.ContainerPorts[SiloObjects.HttpPort], $"{probe} probes port '{port}', not the http port");
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
