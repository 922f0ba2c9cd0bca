using Sessions.Deploy.Tests.Support;

namespace Sessions.Deploy.Tests.K8s;

public sealed class DisruptionAndScalingTests
{
    [Fact]
    public void The_disruption_budget_lets_one_silo_go_at_a_time()
    {
        var budget = SiloBase.PodDisruptionBudget;

        Assert.Equal("policy/v1", budget.ApiVersion);
        Assert.Equal(1, budget.Root.Integer("spec.maxUnavailable"));
        Assert.Null(budget.Root.At("spec.minAvailable"));
    }

    [Fact]
    public void The_disruption_budget_selects_exactly_the_silo_pods()
    {
        var selector = SiloBase.PodDisruptionBudget.Root.StringMap("spec.selector.matchLabels");

        Assert.Equal(SiloBase.Deployment.Root.StringMap("spec.selector.matchLabels"), selector);
    }

    [Fact]
    public void The_autoscaler_scales_the_silo_deployment_from_3_to_10()
    {
        var autoscaler = SiloBase.HorizontalPodAutoscaler;

        Assert.Equal("autoscaling/v2", autoscaler.ApiVersion);
        Assert.Equal("apps/v1", autoscaler.Root.Scalar("spec.scaleTargetRef.apiVersion"));
        Assert.Equal("Deployment", autoscaler.Root.Scalar("spec.scaleTargetRef.kind"));
        Assert.Equal(SiloBase.Deployment.Name, autoscaler.Root.Scalar("spec.scaleTargetRef.name"));
        Assert.Equal(3, autoscaler.Root.Integer("spec.minReplicas"));
        Assert.Equal(10, autoscaler.Root.Integer("spec.maxReplicas"));
        Assert.True(autoscaler.Root.Integer("spec.minReplicas") <= SiloBase.Deployment.Root.Integer("spec.replicas"));
    }

    [Fact]
    public void The_autoscaler_measures_cpu_against_the_containers_cpu_request()
    {
        var metric = Assert.Single(SiloBase.HorizontalPodAutoscaler.Root.Items("spec.metrics"));

        Assert.Equal("Resource", metric.Scalar("type"));
        Assert.Equal("cpu", metric.Scalar("resource.name"));
        Assert.Equal("Utilization", metric.Scalar("resource.target.type"));
        Assert.False(string.IsNullOrEmpty(SiloBase.Container.Scalar("resources.requests.cpu")), "CPU utilization is relative to the CPU request");
    }
}
