using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Sessions.Storage.Tests.OrleansProviders;

/// <summary>
/// Orleans' own handler ends the process (<c>Environment.FailFast</c>) when a silo learns it was declared dead, which is
/// right for a silo process and wrong for a test host that runs many silos: it took the whole test run down. This one
/// records the error, so that <see cref="OrleansTestHosts.StopAsync"/> fails the test that owns the silo, and lets the
/// process live.
/// </summary>
internal sealed class TestSiloFatalErrors(ILogger<TestSiloFatalErrors> logger) : IFatalErrorHandler
{
    private string? _first;

    public string? First => Volatile.Read(ref _first);

    public bool IsUnexpected(Exception exception) => true;

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
    {
        logger.LogError(exception, "Fatal error from {Sender}: {Context}", sender, context);
        Interlocked.CompareExchange(ref _first, $"{sender}: {context} {exception}", null);
    }
}
