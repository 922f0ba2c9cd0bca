namespace Sessions.Embedded;

/// <summary>
/// Makes one host at a time the owner of a data folder. Without it, a second silo started on the same folder
/// would take the first one's server for a leftover and stop it. The lock is an flock(2) held by an open
/// file (.NET takes it for <see cref="FileShare.None"/>), so the kernel drops it when the host dies, even by
/// kill -9, and whoever takes it next knows that any server still running there is a leftover.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    private const string FileName = "embedded-postgres.lock";
    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        try
        {
            return new DataDirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new EmbeddedPostgresException(
                $"The data directory '{dataDirectory}' is in use by another running host (lock '{path}' is held).", e);
        }
    }

    public void Dispose() => _file.Dispose();
}
