using Sessions.Testing.Cluster;

namespace Sessions.Cluster.Tests;

/// <summary>Assertions whose failure message carries the end of every silo's output.</summary>
public static class ClusterAssert
{
    public static void True(LocalCluster cluster, bool condition, string message)
    {
        if (!condition)
        {
            Assert.Fail($"{message}\n{cluster.DescribeLogs()}");
        }
    }
}
