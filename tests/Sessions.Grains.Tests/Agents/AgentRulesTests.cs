namespace Sessions.Grains.Tests.Agents;

/// <summary>
/// Every rule of a registration and of an update, enforced by the agent grain for any caller: each broken rule is a
/// validation error naming its field, several are named at once, and nothing is written.
/// </summary>
public sealed class AgentRulesTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private const string Url = "https://93.184.215.14/hook";

    public static TheoryData<string, string> RefusedUrls => new()
    {
        { "relative", "/hooks/a" },
        { "ftp", "ftp://93.184.215.14/a" },
        { "not a url", "not a url" },
        { "spaces", "https://93.184.215.14/a b" },
        { "user info", "https://user:pw@93.184.215.14/a" },
        { "fragment", "https://93.184.215.14/a#b" },
        { "too long", "https://93.184.215.14/" + new string('a', 2048) },
        { "loopback", "http://127.0.0.1:8080/hook" },
        { "localhost", "http://localhost/hook" },
        { "private 10/8", "http://10.1.2.3/hook" },
        { "cloud metadata", "http://169.254.169.254/latest/meta-data" },
        { "unique local IPv6", "http://[fd00::1]/hook" },
        { "unspecified", "http://0.0.0.0/hook" },
        { "multicast", "http://224.0.0.1/hook" },
    };

    public static TheoryData<string, AgentSettingsChange, string> RefusedSettings => new()
    {
        { "timeout 0", new() { TimeoutMs = Change<long?>.To(0) }, "timeout_ms" },
        { "timeout over the maximum", new() { TimeoutMs = Change<long?>.To(300_001) }, "timeout_ms" },
        { "timeout far beyond 32 bits", new() { TimeoutMs = Change<long?>.To(long.MaxValue) }, "timeout_ms" },
        { "attempts 0", new() { MaxAttempts = Change<long?>.To(0) }, "max_attempts" },
        { "attempts 101", new() { MaxAttempts = Change<long?>.To(101) }, "max_attempts" },
        { "base delay 0", new() { RetryBaseDelayMs = Change<long?>.To(0) }, "retry_base_delay_ms" },
        { "base delay over an hour", new() { RetryBaseDelayMs = Change<long?>.To(3_600_001), RetryMaxDelayMs = Change<long?>.To(7_200_000) }, "retry_base_delay_ms" },
        { "max delay 0", new() { RetryMaxDelayMs = Change<long?>.To(0) }, "retry_max_delay_ms" },
        { "max delay over a day", new() { RetryMaxDelayMs = Change<long?>.To(86_400_001) }, "retry_max_delay_ms" },
        { "base above max", new() { RetryBaseDelayMs = Change<long?>.To(5000), RetryMaxDelayMs = Change<long?>.To(1000) }, "retry_base_delay_ms" },
        { "base above the default max", new() { RetryBaseDelayMs = Change<long?>.To(600_001) }, "retry_base_delay_ms" },
        { "negative debounce", new() { DebounceMs = Change<long?>.To(-1) }, "debounce_ms" },
        { "debounce over a minute", new() { DebounceMs = Change<long?>.To(60_001) }, "debounce_ms" },
        { "history without a mode", new() { History = Change<AgentHistoryChange?>.To(new AgentHistoryChange(null, 5)) }, "history.mode" },
        { "undefined history mode", new() { History = Change<AgentHistoryChange?>.To(new AgentHistoryChange((AgentHistoryMode)7)) }, "history.mode" },
        { "history count 0", new() { History = Change<AgentHistoryChange?>.To(new AgentHistoryChange(AgentHistoryMode.Tail, 0)) }, "history.count" },
        { "history count over the maximum", new() { History = Change<AgentHistoryChange?>.To(new AgentHistoryChange(AgentHistoryMode.Entire, 1001)) }, "history.count" },
        { "history count with last", new() { History = Change<AgentHistoryChange?>.To(new AgentHistoryChange(AgentHistoryMode.Last, 5)) }, "history.count" },
    };

    public static TheoryData<string, string?> RefusedSecrets => new()
    {
        { "no prefix", "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0" },
        { "too short", "whsec_c2hvcnQ=" },
        { "not base64", "whsec_!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" },
        { "too long", "whsec_" + Convert.ToBase64String(new byte[65]) },
    };

    private static string NewId() => $"rules-{Guid.NewGuid():N}";

    private IAgentGrain Agent(string id) => fixture.Grains.GetGrain<IAgentGrain>(id);

    [Theory]
    [MemberData(nameof(RefusedUrls))]
    public async Task A_registration_with_a_url_the_policy_refuses_names_url_and_writes_nothing(string rule, string url)
    {
        var id = NewId();

        var refused = await RegisterRefusedAsync(id, new RegisterAgentCommand(url));

        Assert.Equal(["url"], refused.Fields.Keys);
        Assert.False(string.IsNullOrWhiteSpace(refused.Fields["url"][0]), rule);
        await AssertNothingWrittenAsync(id);
    }

    [Theory]
    [InlineData(null, "url is required.")]
    [InlineData("", "url must not be empty.")]
    public async Task A_registration_needs_a_url(string? url, string message)
    {
        var id = NewId();

        var refused = await RegisterRefusedAsync(id, new RegisterAgentCommand(url));

        Assert.Equal(message, Assert.Single(refused.Fields["url"]));
        Assert.Equal(message, refused.Message);
        await AssertNothingWrittenAsync(id);
    }

    [Theory]
    [MemberData(nameof(RefusedSettings))]
    public async Task A_registration_with_a_setting_out_of_bounds_names_it_and_writes_nothing(string rule, AgentSettingsChange settings, string field)
    {
        var id = NewId();

        var refused = await RegisterRefusedAsync(id, new RegisterAgentCommand(Url, Settings: settings));

        Assert.Equal([field], refused.Fields.Keys);
        Assert.False(string.IsNullOrWhiteSpace(refused.Fields[field][0]), rule);
        await AssertNothingWrittenAsync(id);
    }

    [Theory]
    [MemberData(nameof(RefusedSecrets))]
    public async Task A_registration_with_a_malformed_secret_names_secret(string rule, string? secret)
    {
        var id = NewId();

        var refused = await RegisterRefusedAsync(id, new RegisterAgentCommand(Url, secret));

        Assert.Equal(["secret"], refused.Fields.Keys);
        Assert.Contains("whsec_", refused.Fields["secret"][0], StringComparison.Ordinal);
        Assert.NotNull(rule);
        await AssertNothingWrittenAsync(id);
    }

    [Theory]
    [InlineData("bad id")]
    [InlineData("slash/in/it")]
    [InlineData("nul\0in it")]
    public async Task A_registration_under_an_id_that_breaks_the_id_rule_names_id(string id)
    {
        var refused = await RegisterRefusedAsync(id, new RegisterAgentCommand(Url));

        Assert.Equal(["id"], refused.Fields.Keys);
        Assert.Equal("id must be 1 to 128 characters of letters, digits and . _ : @ -.", refused.Message);
    }

    [Fact]
    public async Task A_registration_with_an_id_longer_than_the_maximum_names_id()
    {
        var refused = await RegisterRefusedAsync(new string('a', 129), new RegisterAgentCommand(Url));

        Assert.Equal(["id"], refused.Fields.Keys);
    }

    [Fact]
    public async Task An_undefined_status_is_refused_by_name()
    {
        var id = NewId();

        var refused = await RegisterRefusedAsync(id, new RegisterAgentCommand(Url, Status: (AgentStatus)(-1)));

        Assert.Equal("status must be enabled or disabled.", Assert.Single(refused.Fields["status"]));
        await AssertNothingWrittenAsync(id);
    }

    [Fact]
    public async Task Several_broken_rules_are_all_named_at_once()
    {
        var settings = new AgentSettingsChange
        {
            MaxAttempts = Change<long?>.To(0),
            DebounceMs = Change<long?>.To(70_000),
            History = Change<AgentHistoryChange?>.To(new AgentHistoryChange(null)),
        };

        var refused = await RegisterRefusedAsync("bad id", new RegisterAgentCommand("ftp://x", "whsec_short", settings, (AgentStatus)9));

        Assert.Equal(["debounce_ms", "history.mode", "id", "max_attempts", "secret", "status", "url"], refused.Fields.Keys.Order());
        Assert.Equal("id", refused.Details[SessionErrors.FieldDetail]);
        Assert.StartsWith("The request has invalid fields: ", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_that_does_not_resolve_is_refused_with_a_detail_that_says_so()
    {
        var refused = await RegisterRefusedAsync(NewId(), new RegisterAgentCommand("https://no-such-host.invalid/hook"));

        Assert.Contains("could not be resolved", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_update_is_checked_against_the_stored_settings_and_a_refused_one_changes_nothing()
    {
        var id = NewId();
        await Agent(id).RegisterAsync(new RegisterAgentCommand(Url, Settings: new() { RetryMaxDelayMs = Change<long?>.To(1000) }));
        var before = await fixture.Agents.GetAsync(id, CancellationToken.None);

        var baseAboveStoredMax = await UpdateRefusedAsync(id, new UpdateAgentCommand(Settings: new() { RetryBaseDelayMs = Change<long?>.To(5000) }));
        var several = await UpdateRefusedAsync(id, new UpdateAgentCommand(
            "",
            new() { TimeoutMs = Change<long?>.To(0), History = Change<AgentHistoryChange?>.To(new AgentHistoryChange((AgentHistoryMode)3)) },
            (AgentStatus)2));
        var privateUrl = await UpdateRefusedAsync(id, new UpdateAgentCommand("http://10.20.30.40/hook"));

        Assert.Contains("(1000)", Assert.Single(baseAboveStoredMax.Fields["retry_base_delay_ms"]), StringComparison.Ordinal);
        Assert.Equal(["history.mode", "status", "timeout_ms", "url"], several.Fields.Keys.Order());
        Assert.Equal(["url"], privateUrl.Fields.Keys);
        Assert.Equal(before, await fixture.Agents.GetAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Raising_the_stored_max_delay_lets_a_larger_base_delay_in_with_it()
    {
        var id = NewId();
        await Agent(id).RegisterAsync(new RegisterAgentCommand(Url, Settings: new() { RetryMaxDelayMs = Change<long?>.To(1000) }));

        var updated = await Agent(id).UpdateAsync(new UpdateAgentCommand(Settings: new()
        {
            RetryBaseDelayMs = Change<long?>.To(5000),
            RetryMaxDelayMs = Change<long?>.To(null),
        }));

        Assert.Equal((5000L, 600_000L), (updated.RetryBaseDelayMs, updated.RetryMaxDelayMs));
    }

    private async Task<SessionException> RegisterRefusedAsync(string id, RegisterAgentCommand command)
    {
        var refused = await Assert.ThrowsAsync<SessionException>(() => Agent(id).RegisterAsync(command));
        Assert.Equal(SessionErrors.Validation, refused.Code);
        return refused;
    }

    private async Task<SessionException> UpdateRefusedAsync(string id, UpdateAgentCommand command)
    {
        var refused = await Assert.ThrowsAsync<SessionException>(() => Agent(id).UpdateAsync(command));
        Assert.Equal(SessionErrors.Validation, refused.Code);
        return refused;
    }

    private async Task AssertNothingWrittenAsync(string id)
    {
        Assert.Null(await fixture.Agents.GetAsync(id, CancellationToken.None));
        Assert.Null(await fixture.Silo.Participants.GetAsync(id, CancellationToken.None));
    }
}
