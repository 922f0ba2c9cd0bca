using System.Collections.Concurrent;
using System.Text;

namespace Sessions.Gateway.Tests.Hostile;

/// <summary>What the attack saw, counted as it goes (from many threads): answers by status and the ones that broke a rule.</summary>
public sealed class HostileTally
{
    private const int KeptViolations = 25;
    private readonly ConcurrentDictionary<string, int> _statuses = new();
    private readonly ConcurrentDictionary<string, int> _perOperation = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private int _violationCount;

    public int ViolationCount => _violationCount;

    public IReadOnlyDictionary<string, int> PerOperation => _perOperation;

    public void Count(string status, string? operation = null)
    {
        _statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
        if (operation is not null)
        {
            _perOperation.AddOrUpdate(operation, 1, (_, n) => n + 1);
        }
    }

    /// <summary>A rule broken; the first few are kept whole for the report.</summary>
    public void Violation(string description)
    {
        if (Interlocked.Increment(ref _violationCount) <= KeptViolations)
        {
            _violations.Enqueue(description);
        }
    }

    public string Histogram() => string.Join(", ", _statuses.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}: {s.Value}"));

    public string Violations()
    {
        var report = new StringBuilder($"{_violationCount} violations; the first {Math.Min(_violationCount, KeptViolations)}:\n");
        foreach (var violation in _violations)
        {
            report.AppendLine("  " + violation);
        }

        return report.ToString();
    }
}
