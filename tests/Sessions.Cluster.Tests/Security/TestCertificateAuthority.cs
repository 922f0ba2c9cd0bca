using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Sessions.Client;

namespace Sessions.Cluster.Tests.Security;

/// <summary>
/// A throw-away root that issues certificates for the Orleans ports, written as PEM files the way a Kubernetes TLS
/// Secret mounts them (certificate, key, and the root as the CA file).
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _root;
    private readonly string _directory;

    public TestCertificateAuthority(string name)
    {
        _directory = Directory.CreateTempSubdirectory($"sessions-tls-{name}-").FullName;
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        _root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        RootPath = Path.Combine(_directory, "ca.crt");
        File.WriteAllText(RootPath, _root.ExportCertificatePem());
    }

    /// <summary>The root's certificate (PEM), the CA file of every certificate this authority issues.</summary>
    public string RootPath { get; }

    /// <summary>A certificate for both ends of a connection (server and client authentication), with its files.</summary>
    public OrleansTlsFiles Issue(string holder)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={holder}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication, ClientAuthentication], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_root, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var certificate = request.Create(_root, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(16));

        var certificatePath = Path.Combine(_directory, $"{holder}.crt");
        var keyPath = Path.Combine(_directory, $"{holder}.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new OrleansTlsFiles(certificatePath, keyPath, RootPath);
    }

    public void Dispose()
    {
        _root.Dispose();
        _key.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
