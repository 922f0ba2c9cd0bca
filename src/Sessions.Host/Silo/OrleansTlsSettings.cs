using Microsoft.Extensions.Configuration;
using Sessions.Client;

namespace Sessions.Host.Silo;

/// <summary>
/// Opt-in mutual TLS on this silo's Orleans ports (silo-to-silo and the gateway): on when
/// <c>SESSIONS_ORLEANS_TLS_CERTIFICATE</c> names a PEM certificate, with <c>SESSIONS_ORLEANS_TLS_KEY</c> (its key,
/// unless the certificate file holds it) and <c>SESSIONS_ORLEANS_TLS_CA</c> (the root that issues every silo's and
/// client's certificate; unset when they all share one self-signed certificate). See <see cref="OrleansTls"/>.
/// Every silo of a cluster must agree: a silo with TLS and one without cannot reach each other.
/// </summary>
internal static class OrleansTlsSettings
{
    public const string CertificateVariable = "SESSIONS_ORLEANS_TLS_CERTIFICATE";
    public const string KeyVariable = "SESSIONS_ORLEANS_TLS_KEY";
    public const string CaVariable = "SESSIONS_ORLEANS_TLS_CA";

    /// <summary>The files to use, or null for plain TCP (no certificate named).</summary>
    public static OrleansTlsFiles? Read(IConfiguration configuration)
    {
        var certificate = Value(configuration, CertificateVariable);
        var key = Value(configuration, KeyVariable);
        var ca = Value(configuration, CaVariable);
        if (certificate is null)
        {
            // A key or CA without a certificate is a half-done configuration, not a wish for plain TCP.
            return key is null && ca is null
                ? null
                : throw new InvalidOperationException($"{KeyVariable} or {CaVariable} is set without {CertificateVariable}: Orleans TLS needs the certificate too.");
        }

        return new OrleansTlsFiles(certificate, key, ca);
    }

    private static string? Value(IConfiguration configuration, string name) =>
        configuration[name] is { Length: > 0 } value ? value : null;
}
