using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Sessions.Cluster.Tests;

/// <summary>Keeps what a cluster client logs (wall-clock stamped, like the silos' output), for assertion messages.</summary>
public sealed class RecordingLoggerProvider(string name) : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public string Text => string.Join('\n', _lines);

    /// <summary>For <c>SessionsClusterClient.ConnectAsync</c>: the client's logs go here.</summary>
    public void AddTo(ILoggingBuilder logging) => logging.AddProvider(this);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= (category.StartsWith("Sessions.", StringComparison.Ordinal) ? LogLevel.Information : LogLevel.Warning);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider._lines.Enqueue(string.Create(CultureInfo.InvariantCulture, $"[{DateTime.Now:HH:mm:ss.fff} {provider.Name(category)}] {logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.Message)}"));
            }
        }
    }

    private string Name(string category) => $"{name} {category[(category.LastIndexOf('.') + 1)..]}";
}
