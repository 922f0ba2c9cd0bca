using Sessions.Testing.Cluster;

namespace Sessions.Cluster.Tests;

/// <summary>Where the activations are, against where placement says they should be.</summary>
public static class ActivationCensus
{
    /// <summary>
    /// Waits until each running silo holds exactly the activations of the sessions it owns (every one of
    /// <paramref name="sessions"/> must have been called since the last membership change); returns null then, or a
    /// description of the last mismatch after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<string?> MismatchAfterAsync(LocalCluster cluster, IReadOnlyList<TestSession> sessions, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var active = await cluster.ActiveSilosAsync();
            var census = await Task.WhenAll(cluster.Running.Select(async silo => (
                Silo: silo,
                Owned: sessions.Count(s => cluster.ProcessOf(Ownership.OwnerOf(s.Id, active)) == silo),
                Activations: await silo.ReadGaugeAsync("sessions_activations"))));
            if (census.All(c => c.Owned == c.Activations))
            {
                return null;
            }

            if (clock.Elapsed > timeout)
            {
                return "activations per silo (placement says / /metrics says): "
                    + string.Join(", ", census.Select(c => $"{c.Silo.Name} {c.Owned}/{c.Activations}"));
            }

            await Task.Delay(100);
        }
    }
}
