namespace Sessions.Embedded;

/// <summary>
/// No PostgreSQL server binaries were found. The message is a single line that says how to fix it,
/// because hosts print it as-is and exit.
/// </summary>
public sealed class PostgresBinariesNotFoundException : EmbeddedPostgresException
{
    public PostgresBinariesNotFoundException(string? searchedDirectory)
        : base(BuildMessage(searchedDirectory)) { }

    private static string BuildMessage(string? searchedDirectory) =>
        (searchedDirectory is null
            ? "PostgreSQL server binaries (initdb, pg_ctl) were not found"
            : $"PostgreSQL server binaries (initdb, pg_ctl) were not found in '{searchedDirectory}'")
        + "; install the 'postgresql' package (apt-get install -y postgresql) or set ConnectionStrings__Sessions.";
}
