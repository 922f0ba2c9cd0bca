namespace Sessions.Client;

/// <summary>
/// PEM files for mutual TLS on the Orleans ports (silo-to-silo and client-to-gateway), as a Kubernetes Secret of
/// type <c>kubernetes.io/tls</c> mounts them (<c>tls.crt</c>, <c>tls.key</c>, <c>ca.crt</c>). Every silo and every
/// Orleans client presents its certificate and accepts only peers whose certificate chains to the trusted root.
/// </summary>
/// <param name="CertificatePath">This process's certificate (PEM), followed by any intermediates.</param>
/// <param name="KeyPath">Its private key (PEM); null when the certificate file holds the key too.</param>
/// <param name="CaPath">
/// The root(s) that issue the cluster's certificates (PEM). Null when every silo and client shares one self-signed
/// certificate: that certificate is then the only one trusted.
/// </param>
public sealed record OrleansTlsFiles(string CertificatePath, string? KeyPath = null, string? CaPath = null);
