using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Sessions.Testing;

/// <summary>A logger that keeps what it is told, so tests can assert that something was (or was not) reported.</summary>
public sealed class RecordingLogger : ILogger
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => _entries.ToArray();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue(new LogEntry(logLevel, eventId.Id, formatter(state, exception), exception));
}

public sealed record LogEntry(LogLevel Level, int EventId, string Message, Exception? Exception);
