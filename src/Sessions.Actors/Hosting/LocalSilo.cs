namespace Sessions.Actors;

/// <summary>
/// This process's identity in observer references: its silo address once it has joined a cluster,
/// <c>local</c> for a single silo.
/// </summary>
public sealed class LocalSilo
{
    public string Name { get; internal set; } = "local";
}
