namespace Sessions.Actors;

/// <summary>Takes calls to one observer to the process that hosts it: this one, or another silo over the wire.</summary>
internal sealed class ObserverCallRouter(string silo, LocalSilo localSilo, ObserverRegistry observers, SiloTransport? transport) : IGrainCallRouter
{
    public async Task<GrainResponse> SendAsync(GrainCall call, CancellationToken cancellationToken)
    {
        if (silo == localSilo.Name)
        {
            return await observers.InvokeAsync(call).ConfigureAwait(false);
        }

        if (transport is null)
        {
            return RuntimeErrors.Failure(RuntimeErrors.ObserverGone, $"Observer {call.Key} lives on {silo}, and this process is not in a cluster.");
        }

        try
        {
            return await transport.SendAsync(SiloAddress.Parse(silo), call, hops: 0, cancellationToken).ConfigureAwait(false);
        }
        catch (SiloUnreachableException e)
        {
            return RuntimeErrors.Failure(RuntimeErrors.ObserverGone, e.Message);
        }
    }
}
