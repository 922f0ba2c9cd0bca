using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Sessions.Gateway.Authentication;

using Sessions.Embedded;

namespace Sessions.Host.Credentials;

/// <summary>
/// Where the admin keys come from, decided once at start-up: <c>SESSIONS_ADMIN_KEY</c> and the list
/// <c>Sessions:Auth:AdminKeys</c> (several at once, to rotate a key without downtime). With neither, a gateway on its
/// embedded database uses the key in its data folder (<see cref="AdminKeyFile"/>), made on first start; one on a
/// configured database refuses to start, since its silos must share a key that only the operator can give them.
/// </summary>
internal static class AdminKeySource
{
    public const string AdminKeyVariable = "SESSIONS_ADMIN_KEY";
    public const string AdminKeysSection = AuthOptions.SectionName + ":AdminKeys";

    public static AdminKeys Resolve(IConfiguration configuration, EmbeddedPostgres? embedded, ILogger logger)
    {
        var configured = new List<string>();
        Add(configured, AdminKeyVariable, configuration[AdminKeyVariable]);
        foreach (var entry in configuration.GetSection(AdminKeysSection).GetChildren())
        {
            Add(configured, $"{AdminKeysSection}:{entry.Key}", entry.Value);
        }

        if (configured.Count > 0)
        {
            return new AdminKeys(configured);
        }

        if (embedded is null)
        {
            throw new HostStartupException(
                $"No admin key is configured. With a configured database (ConnectionStrings:Sessions) every silo needs the same admin key: "
                + $"set {AdminKeyVariable} (or {AdminKeysSection}:0, :1, ...) to a random string of at least {AdminKeys.MinLength} characters, "
                + "for example the output of `openssl rand -base64 32`.");
        }

        return new AdminKeys([AdminKeyFile.ReadOrCreate(embedded.DataDirectory, logger)]);
    }

    private static void Add(List<string> keys, string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (AdminKeys.Refusal(value) is { } refusal)
        {
            throw new HostStartupException($"The admin key {name} {refusal}.");
        }

        keys.Add(value);
    }
}
