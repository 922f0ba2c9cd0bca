using System.Net.Http.Headers;

namespace Sessions.Testing;

/// <summary>
/// The admin key every test gateway and silo is configured with (<c>SESSIONS_ADMIN_KEY</c>) unless a test says
/// otherwise, and the clients' way of sending it. A fixed value: tests are not where keys need to be secret.
/// </summary>
public static class TestCredentials
{
    public const string AdminKeyVariable = "SESSIONS_ADMIN_KEY";

    public const string AdminKey = "ssa_test-admin-key-for-the-test-suite-0123456789";

    /// <summary>Makes every request of <paramref name="client"/> carry <paramref name="token"/> (default: the admin key).</summary>
    public static HttpClient Authorize(this HttpClient client, string token = AdminKey)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
