using System.Collections.Immutable;

namespace Sessions.Gateway.Realtime;

/// <summary>
/// The one subscription of this gateway to one grain (a session, an inbox): what comes in once goes out to every
/// local subscriber (<typeparamref name="TSink"/>). The sink list changes only under the registry's lock and is read
/// without it (an immutable array is swapped whole).
/// </summary>
public abstract class Feed<TSink>(string key)
    where TSink : class
{
    private ImmutableArray<TSink> _sinks = [];

    public string Key { get; } = key;

    /// <summary>The subscription in progress or done; null until the first attach, and again after it failed.</summary>
    internal Task? Subscription { get; set; }

    internal bool IsEmpty => _sinks.IsEmpty;

    internal ImmutableArray<TSink> Sinks => _sinks;

    internal void Add(TSink sink) => _sinks = _sinks.Add(sink);

    internal void Remove(TSink sink) => _sinks = _sinks.Remove(sink);

    /// <summary>Raises <paramref name="location"/> to <paramref name="value"/> if that is higher; true if it did.</summary>
    protected static bool RaiseTo(ref long location, long value)
    {
        var current = Interlocked.Read(ref location);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }
}
