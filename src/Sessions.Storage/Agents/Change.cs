namespace Sessions.Storage.Agents;

/// <summary>One member of a partial update: <c>default</c> leaves the column as it is, <see cref="To"/> sets it (null included).</summary>
public readonly record struct Change<T>(bool IsSet, T Value)
{
    public static Change<T> To(T value) => new(true, value);
}
