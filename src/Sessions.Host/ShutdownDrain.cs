using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Sessions.Host;

/// <summary>How a stopping host winds down (configuration section <c>Sessions:Shutdown</c>).</summary>
public sealed class ShutdownOptions
{
    public const string SectionName = "Sessions:Shutdown";

    /// <summary>
    /// How long a stopping host keeps serving HTTP after <c>/readyz</c> turned 503, before the server closes its
    /// connections and the silo leaves the cluster: the time a load balancer needs to stop sending it requests.
    /// </summary>
    /// <value>2 seconds (the readiness balancer of the tests polls every 100 ms; in Kubernetes the preStop hook waits first).</value>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// On SIGTERM the host first says it is stopping (<c>/readyz</c> answers 503 from that moment), then, before any
/// service stops, waits <see cref="ShutdownOptions.DrainDelay"/> while requests still come in: without it the HTTP
/// server would close keep-alive connections that a balancer is about to send on, and those requests would fail.
/// </summary>
internal sealed partial class ShutdownDrain(
    IOptions<ShutdownOptions> options, IHostApplicationLifetime lifetime, ILogger<ShutdownDrain> logger) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        // A signal has said so already; a stop from code (the host's StopAsync) has not yet at this point, and /readyz
        // reads "stopping" from here.
        lifetime.StopApplication();
        var delay = options.Value.DrainDelay;
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        LogDraining(logger, delay.TotalMilliseconds);
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The shutdown timeout ran out: stop now.
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: not ready any more; still serving for {DelayMs} ms while load balancers notice")]
    private static partial void LogDraining(ILogger logger, double delayMs);
}

internal static class ShutdownDrainExtensions
{
    /// <summary>Registers <see cref="ShutdownDrain"/> with its options (<see cref="ShutdownOptions.SectionName"/>).</summary>
    public static IServiceCollection AddShutdownDrain(this IServiceCollection services)
    {
        services.AddOptions<ShutdownOptions>().BindConfiguration(ShutdownOptions.SectionName);
        services.AddHostedService<ShutdownDrain>();
        return services;
    }
}
