namespace Sessions.Embedded;

/// <summary>The embedded PostgreSQL server could not be initialized, started or stopped.</summary>
public class EmbeddedPostgresException : Exception
{
    public EmbeddedPostgresException(string message) : base(message) { }

    public EmbeddedPostgresException(string message, Exception innerException) : base(message, innerException) { }
}
