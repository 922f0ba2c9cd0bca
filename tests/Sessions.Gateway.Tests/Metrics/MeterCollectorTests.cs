using System.Diagnostics.Metrics;
using System.Text;
using Sessions.Gateway.Metrics;
using Xunit;

namespace Sessions.Gateway.Tests.Metrics;

public sealed class MeterCollectorTests
{
    [Fact]
    public void Counters_and_histograms_of_the_meter_render_in_the_prometheus_text_format()
    {
        var meterName = $"test-{Guid.NewGuid():N}";
        using var collector = new MeterCollector(meterName);
        using var meter = new Meter(meterName);
        var attempts = meter.CreateCounter<long>("demo_attempts", description: "Attempts.");
        var duration = meter.CreateHistogram<double>("demo_duration", unit: "s", description: "Durations.");
        attempts.Add(2, new KeyValuePair<string, object?>("result", "retry"));
        attempts.Add(1, new KeyValuePair<string, object?>("result", "success"));
        attempts.Add(1, new KeyValuePair<string, object?>("result", "retry"));
        duration.Record(0.003);
        duration.Record(0.2);
        duration.Record(1000);

        var text = new StringBuilder();
        collector.WriteTo(text);
        var lines = text.ToString().Split('\n');

        Assert.Contains("# TYPE demo_attempts_total counter", lines);
        Assert.Contains("demo_attempts_total{result=\"retry\"} 3", lines);
        Assert.Contains("demo_attempts_total{result=\"success\"} 1", lines);
        Assert.Contains("# TYPE demo_duration_seconds histogram", lines);
        Assert.Contains("demo_duration_seconds_bucket{le=\"0.005\"} 1", lines);
        Assert.Contains("demo_duration_seconds_bucket{le=\"0.25\"} 2", lines);
        Assert.Contains("demo_duration_seconds_bucket{le=\"300\"} 2", lines);
        Assert.Contains("demo_duration_seconds_bucket{le=\"+Inf\"} 3", lines);
        Assert.Contains("demo_duration_seconds_count 3", lines);
        Assert.Contains("demo_duration_seconds_sum 1000.203", lines);
    }

    [Fact]
    public void Instruments_of_other_meters_are_not_collected()
    {
        using var collector = new MeterCollector($"test-{Guid.NewGuid():N}");
        using var other = new Meter($"other-{Guid.NewGuid():N}");
        other.CreateCounter<long>("elsewhere").Add(5);

        var text = new StringBuilder();
        collector.WriteTo(text);
        Assert.DoesNotContain("elsewhere", text.ToString(), StringComparison.Ordinal);
    }
}
