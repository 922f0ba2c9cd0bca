using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Sessions.Client;

/// <summary>
/// Mutual TLS on the Orleans ports, the same for silos (<c>ISiloBuilder.UseTls</c>) and clients
/// (<c>IClientBuilder.UseTls</c>): each side presents its certificate and requires one from the other, and accepts
/// it only when it chains to the cluster's root. The peer's name is not checked: silos reach each other and clients
/// reach gateways by pod IP, and holding a certificate from the cluster's root is what makes a peer a member. So the
/// root must issue certificates for this cluster only. Revocation is not checked (a private root publishes no
/// revocation list): to shut a holder out, replace the root and reissue.
/// </summary>
public static class OrleansTls
{
    /// <summary>Loads the files now (a missing or unreadable file fails the start) and sets <paramref name="options"/> for mutual TLS.</summary>
    public static void Configure(TlsOptions options, OrleansTlsFiles files)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(files);
        var certificate = LoadCertificate(files);
        var roots = LoadRoots(files, certificate);

        options.LocalCertificate = certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        // Replaces the platform's verdict (which would also demand a matching host name and a system-trusted root).
        options.RemoteCertificateValidation = (remote, presented, _) => ChainsTo(remote, presented, roots);
    }

    /// <summary>Whether <paramref name="remote"/> chains to one of <paramref name="roots"/>, through intermediates the peer presented.</summary>
    internal static bool ChainsTo(X509Certificate2 remote, X509Chain? presented, X509Certificate2Collection roots)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(remote);
    }

    private static X509Certificate2 LoadCertificate(OrleansTlsFiles files)
    {
        var certificate = X509Certificate2.CreateFromPemFile(files.CertificatePath, files.KeyPath);
        return certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException($"The Orleans TLS certificate '{files.CertificatePath}' comes without its private key.");
    }

    private static X509Certificate2Collection LoadRoots(OrleansTlsFiles files, X509Certificate2 certificate)
    {
        var roots = new X509Certificate2Collection();
        if (files.CaPath is { } caPath)
        {
            roots.ImportFromPemFile(caPath);
            return roots.Count > 0 ? roots : throw new InvalidOperationException($"The Orleans TLS CA file '{caPath}' holds no certificate.");
        }

        // Without a root, peers must present this very certificate: it has to be self-signed to chain to itself.
        if (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
        {
            roots.Add(X509CertificateLoader.LoadCertificate(certificate.RawData));
            return roots;
        }

        throw new InvalidOperationException(
            $"The Orleans TLS certificate '{files.CertificatePath}' is issued by '{certificate.Issuer}': name that issuer's certificate as the CA file.");
    }
}
