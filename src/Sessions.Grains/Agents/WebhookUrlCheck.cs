using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Sessions.Grains.Webhooks;

namespace Sessions.Grains;

/// <summary>
/// Whether a webhook URL may be registered: absolute http(s), no user-info or fragment, at most
/// <see cref="WebhookOptions.MaxUrlLength"/>, and a host that <see cref="WebhookAddressPolicy"/> allows — a literal IP
/// as it is, a name by resolving it (every address it resolves to must be allowed, since any of them may be the one
/// connected to). This is the registration's check; the sender checks the address it connects to again, so a name
/// that later resolves elsewhere gains nothing.
/// </summary>
public sealed class WebhookUrlCheck
{
    /// <summary>How long a name may take to resolve before the registration is refused.</summary>
    public static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    private readonly WebhookOptions _options;
    private readonly WebhookAddressPolicy _policy;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    public WebhookUrlCheck(IOptions<WebhookOptions> options)
        : this(options.Value, Dns.GetHostAddressesAsync)
    {
    }

    internal WebhookUrlCheck(WebhookOptions options, Func<string, CancellationToken, Task<IPAddress[]>> resolve)
    {
        _options = options;
        _policy = WebhookAddressPolicy.From(options);
        _resolve = resolve;
    }

    /// <summary>Adds to <paramref name="errors"/> why <paramref name="url"/> may not be a webhook; nothing for a missing or empty one (required elsewhere).</summary>
    public async Task AddRefusalAsync(string? url, FieldErrors errors, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (url is not { Length: > 0 })
        {
            return;
        }

        if (url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors.Add("url", "url must not contain spaces or control characters (percent-encode them).");
        }
        else if (await RefusalAsync(url, ct).ConfigureAwait(false) is { } refusal)
        {
            errors.Add("url", refusal);
        }
    }

    /// <summary>Why <paramref name="url"/> may not be a webhook (a sentence naming <c>url</c>), or null when it may.</summary>
    public async Task<string?> RefusalAsync(string url, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Length > _options.MaxUrlLength)
        {
            return $"url must be at most {_options.MaxUrlLength} characters.";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return "url must be an absolute http or https URL.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "url must not contain user information (user:password@); authenticate webhooks by their signature.";
        }

        if (uri.Fragment.Length > 0)
        {
            return "url must not have a fragment (#...).";
        }

        if (uri.Host.Length == 0)
        {
            return "url must name a host.";
        }

        return uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            ? Refusal(IPAddress.Parse(uri.DnsSafeHost), uri.Host)
            : await NameRefusalAsync(uri.IdnHost, ct).ConfigureAwait(false);
    }

    private async Task<string?> NameRefusalAsync(string host, CancellationToken ct)
    {
        // localhost and its subdomains are loopback by definition (RFC 6761), whatever a resolver says.
        var name = host.TrimEnd('.');
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return Refusal(IPAddress.Loopback, host);
        }

        IPAddress[] addresses;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ResolveTimeout);
        try
        {
            addresses = await _resolve(host, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ArgumentException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return $"url's host '{host}' could not be resolved to an address.";
        }

        if (addresses.Length == 0)
        {
            return $"url's host '{host}' could not be resolved to an address.";
        }

        foreach (var address in addresses)
        {
            if (Refusal(address, host) is { } refusal)
            {
                return refusal;
            }
        }

        return null;
    }

    private string? Refusal(IPAddress address, string host) =>
        _policy.Refusal(address) is { } reason ? $"url's host '{host}' is refused: {reason}." : null;
}
