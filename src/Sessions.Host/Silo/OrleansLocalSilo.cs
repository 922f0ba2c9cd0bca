using System.Runtime.CompilerServices;
using Orleans.Runtime;
using Sessions.Gateway.Silo;

namespace Sessions.Host.Silo;

/// <summary>The gateway's view of this silo (<see cref="ILocalSilo"/>), read from Orleans' membership service.</summary>
internal sealed class OrleansLocalSilo(IClusterMembershipService membership, ILocalSiloDetails details, IActivationWorkingSet activations) : ILocalSilo
{
    public SiloStatus Status => membership.CurrentSnapshot.GetSiloStatus(details.SiloAddress);

    public int ActiveSilos => membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);

    public long MembershipVersion => membership.CurrentSnapshot.Version.Value;

    public int Activations => activations.Count;

    public async IAsyncEnumerable<SiloAddress> SiloDeathsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var dead = new HashSet<SiloAddress>();
        await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(ct).ConfigureAwait(false))
        {
            foreach (var (silo, member) in snapshot.Members)
            {
                if (member.Status == SiloStatus.Dead && dead.Add(silo))
                {
                    yield return silo;
                }
            }
        }
    }
}
