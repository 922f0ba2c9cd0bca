using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Sessions.Gateway.Metrics;

/// <summary>
/// Listens to every instrument of the product's meter (<see cref="Grains.SessionsMeter"/>) and keeps what Prometheus
/// needs: counter totals, and histogram bucket counts, sums and counts, per tag set. <c>/metrics</c> renders it.
/// </summary>
public sealed class MeterCollector : IDisposable
{
    /// <summary>Histogram buckets in seconds: from a fast loopback attempt to a retried delivery's lag.</summary>
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(Instrument Instrument, string Labels), Series> _series = new();

    public MeterCollector(string meterName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Every series in the Prometheus text format (counters as <c>_total</c>, histograms with buckets).</summary>
    public void WriteTo(StringBuilder text)
    {
        foreach (var group in _series.GroupBy(s => s.Key.Instrument).OrderBy(g => g.Key.Name, StringComparer.Ordinal))
        {
            var instrument = group.Key;
            var histogram = instrument is Histogram<double> or Histogram<long>;
            var name = histogram ? $"{instrument.Name}_{UnitSuffix(instrument.Unit)}".TrimEnd('_') : $"{instrument.Name}_total";
            text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {instrument.Description}\n# TYPE {name} {(histogram ? "histogram" : "counter")}\n");
            foreach (var ((_, labels), series) in group.OrderBy(s => s.Key.Labels, StringComparer.Ordinal))
            {
                series.WriteTo(text, name, labels, histogram);
            }
        }
    }

    public void Dispose() => _listener.Dispose();

    private static string UnitSuffix(string? unit) => unit == "s" ? "seconds" : "";

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new StringBuilder();
        foreach (var (key, tagValue) in tags)
        {
            labels.Append(labels.Length == 0 ? "" : ",").Append(key).Append("=\"").Append(Escape(tagValue?.ToString())).Append('"');
        }

        _series.GetOrAdd((instrument, labels.ToString()), _ => new Series()).Add(value);
    }

    private static string Escape(string? value) => (value ?? "").Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>One tag set of one instrument: a running sum and count, and per-bucket counts for histograms.</summary>
    private sealed class Series
    {
        private readonly long[] _buckets = new long[Buckets.Length];
        private readonly Lock _gate = new();
        private double _sum;
        private long _count;

        public void Add(double value)
        {
            lock (_gate)
            {
                _sum += value;
                _count++;
                var bucket = Array.FindIndex(Buckets, b => value <= b);
                if (bucket >= 0)
                {
                    _buckets[bucket]++;
                }
            }
        }

        public void WriteTo(StringBuilder text, string name, string labels, bool histogram)
        {
            lock (_gate)
            {
                if (!histogram)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{name}{Braces(labels)} {_sum}\n");
                    return;
                }

                long cumulative = 0;
                for (var i = 0; i < Buckets.Length; i++)
                {
                    cumulative += _buckets[i];
                    text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{Braces(Join(labels, $"le=\"{Buckets[i]}\""))} {cumulative}\n");
                }

                text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{Braces(Join(labels, "le=\"+Inf\""))} {_count}\n");
                text.Append(CultureInfo.InvariantCulture, $"{name}_sum{Braces(labels)} {_sum}\n{name}_count{Braces(labels)} {_count}\n");
            }
        }

        private static string Join(string labels, string more) => labels.Length == 0 ? more : $"{labels},{more}";

        private static string Braces(string labels) => labels.Length == 0 ? "" : $"{{{labels}}}";
    }
}
