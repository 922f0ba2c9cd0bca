using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sessions.Actors.Tests;

/// <summary>A real silo host in the test process with the test grains, and the probe they report to.</summary>
internal sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private TestSilo(IHost host)
    {
        _host = host;
    }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public ISiloStatistics Statistics => _host.Services.GetRequiredService<ISiloStatistics>();

    public GrainProbe Probe => _host.Services.GetRequiredService<GrainProbe>();

    public static async Task<TestSilo> StartAsync(Action<SiloOptions>? configure = null, TimeSpan? responseTimeout = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<GrainProbe>();
        builder.Services.AddSilo(configure)
            .AddJsonContext(TestJsonContext.Default)
            .AddGrain<ICounterGrain, CounterGrain>()
            .AddGrain<IGatedGrain, GatedGrain>()
            .AddGrain<IInterleavingGrain, InterleavingGrain>()
            .AddGrain<IReentrantGrain, ReentrantGrain>();
        if (responseTimeout is { } timeout)
        {
            builder.Services.Configure<GrainCallOptions>(o => o.ResponseTimeout = timeout);
        }

        var host = builder.Build();
        await host.StartAsync();
        return new TestSilo(host);
    }

    public Task StopAsync() => _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
