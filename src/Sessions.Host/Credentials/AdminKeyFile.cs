using System.Text;
using Microsoft.Extensions.Logging;
using Sessions.Gateway.Authentication;
using Sessions.Gateway.Hosting;

namespace Sessions.Host.Credentials;

/// <summary>
/// The admin key a gateway on its embedded database makes itself when none is configured: 256 random bits, written
/// once to <c>admin.key</c> in the data folder (mode 0600: only the owner reads it) and read back at every later
/// start. The log says where the file is, never what is in it.
/// </summary>
internal static partial class AdminKeyFile
{
    public const string FileName = "admin.key";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static string ReadOrCreate(string dataDirectory, ILogger logger)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            var stored = Read(path, logger);
            LogReused(logger, path);
            return stored;
        }

        var key = AdminKeys.Generate();

        // Created with its final mode (no moment where others could read it), and never over an existing file.
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = OwnerOnly;
        }

        using (var file = new FileStream(path, create))
        {
            file.Write(Encoding.ASCII.GetBytes(key + "\n"));
            file.Flush(flushToDisk: true);
        }

        LogGenerated(logger, path);
        return key;
    }

    private static string Read(string path, ILogger logger)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~OwnerOnly) != 0)
        {
            // Someone loosened it (a copy, a restore): tighten it rather than refuse, and say so.
            File.SetUnixFileMode(path, OwnerOnly);
            LogTightened(logger, path);
        }

        var key = File.ReadAllText(path).Trim();
        return AdminKeys.Refusal(key) is { } refusal
            ? throw new HostStartupException($"The admin key in '{path}' {refusal}. Fix or delete the file (a new key is then generated), or set SESSIONS_ADMIN_KEY.")
            : key;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No admin key is configured: generated one and stored it in {Path} (readable by its owner only). Send it as 'Authorization: Bearer <key>'.")]
    private static partial void LogGenerated(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "No admin key is configured: using the one stored in {Path}")]
    private static partial void LogReused(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The admin key file {Path} was readable by others; it is now readable by its owner only")]
    private static partial void LogTightened(ILogger logger, string path);
}
