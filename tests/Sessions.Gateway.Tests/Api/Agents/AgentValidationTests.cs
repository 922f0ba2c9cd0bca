using System.Net;

namespace Sessions.Gateway.Tests.Api.Agents;

/// <summary>Every rule of a registration, one bad member per row: each is a 400 naming that member, and writes nothing.</summary>
public sealed class AgentValidationTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Url = "https://93.184.215.14/hook";

    public static TheoryData<string, string, string> Refused => new()
    {
        { "no url", """{"id":"{id}"}""", "url" },
        { "empty url", """{"id":"{id}","url":""}""", "url" },
        { "relative url", """{"id":"{id}","url":"/hooks/a"}""", "url" },
        { "ftp url", """{"id":"{id}","url":"ftp://93.184.215.14/a"}""", "url" },
        { "not a url", """{"id":"{id}","url":"not a url"}""", "url" },
        { "user info", """{"id":"{id}","url":"https://user:pw@93.184.215.14/a"}""", "url" },
        { "fragment", """{"id":"{id}","url":"https://93.184.215.14/a#b"}""", "url" },
        { "url too long", """{"id":"{id}","url":"https://93.184.215.14/""" + new string('a', 2048) + "\"}", "url" },
        { "url of the wrong type", """{"id":"{id}","url":5}""", "url" },
        { "private 10/8", """{"id":"{id}","url":"http://10.1.2.3/hook"}""", "url" },
        { "private 192.168/16", """{"id":"{id}","url":"http://192.168.0.10:8080/hook"}""", "url" },
        { "cloud metadata", """{"id":"{id}","url":"http://169.254.169.254/latest/meta-data"}""", "url" },
        { "unique local IPv6", """{"id":"{id}","url":"http://[fd00::1]/hook"}""", "url" },
        { "unspecified", """{"id":"{id}","url":"http://0.0.0.0/hook"}""", "url" },
        { "multicast", """{"id":"{id}","url":"http://224.0.0.1/hook"}""", "url" },
        { "unresolvable host", """{"id":"{id}","url":"https://no-such-host.invalid/hook"}""", "url" },
        { "bad id", """{"id":"bad id {id}","url":"{url}"}""", "id" },
        { "secret without prefix", """{"id":"{id}","url":"{url}","secret":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"}""", "secret" },
        { "secret too short", """{"id":"{id}","url":"{url}","secret":"whsec_c2hvcnQ="}""", "secret" },
        { "secret not base64", """{"id":"{id}","url":"{url}","secret":"whsec_!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"}""", "secret" },
        { "timeout 0", """{"id":"{id}","url":"{url}","timeout_ms":0}""", "timeout_ms" },
        { "timeout over the maximum", """{"id":"{id}","url":"{url}","timeout_ms":300001}""", "timeout_ms" },
        { "timeout a fraction", """{"id":"{id}","url":"{url}","timeout_ms":1.5}""", "timeout_ms" },
        { "timeout a string", """{"id":"{id}","url":"{url}","timeout_ms":"100"}""", "timeout_ms" },
        { "attempts 0", """{"id":"{id}","url":"{url}","max_attempts":0}""", "max_attempts" },
        { "attempts 101", """{"id":"{id}","url":"{url}","max_attempts":101}""", "max_attempts" },
        { "base delay 0", """{"id":"{id}","url":"{url}","retry_base_delay_ms":0}""", "retry_base_delay_ms" },
        { "base delay over an hour", """{"id":"{id}","url":"{url}","retry_base_delay_ms":3600001,"retry_max_delay_ms":7200000}""", "retry_base_delay_ms" },
        { "max delay 0", """{"id":"{id}","url":"{url}","retry_max_delay_ms":0}""", "retry_max_delay_ms" },
        { "max delay over a day", """{"id":"{id}","url":"{url}","retry_max_delay_ms":86400001}""", "retry_max_delay_ms" },
        { "base above max", """{"id":"{id}","url":"{url}","retry_base_delay_ms":5000,"retry_max_delay_ms":1000}""", "retry_base_delay_ms" },
        { "base above the default max", """{"id":"{id}","url":"{url}","retry_base_delay_ms":600001}""", "retry_base_delay_ms" },
        { "negative debounce", """{"id":"{id}","url":"{url}","debounce_ms":-1}""", "debounce_ms" },
        { "debounce over a minute", """{"id":"{id}","url":"{url}","debounce_ms":60001}""", "debounce_ms" },
        { "unknown history mode", """{"id":"{id}","url":"{url}","history":{"mode":"recent"}}""", "history.mode" },
        { "history without a mode", """{"id":"{id}","url":"{url}","history":{"count":5}}""", "history.mode" },
        { "history count 0", """{"id":"{id}","url":"{url}","history":{"mode":"tail","count":0}}""", "history.count" },
        { "history count over the maximum", """{"id":"{id}","url":"{url}","history":{"mode":"entire","count":1001}}""", "history.count" },
        { "history count with last", """{"id":"{id}","url":"{url}","history":{"mode":"last","count":5}}""", "history.count" },
        { "history not an object", """{"id":"{id}","url":"{url}","history":"tail"}""", "history" },
        { "unknown status", """{"id":"{id}","url":"{url}","status":"paused"}""", "status" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_registration_that_breaks_a_rule_is_a_400_naming_the_member_and_writes_nothing(string rule, string template, string field)
    {
        var id = HttpApi.Unique("v");
        var (rows, agents) = (await gateway.Database.CountRowsAsync(), await gateway.Database.CountAgentsAsync());

        var response = await gateway.Client.PostJsonAsync("/api/agents", template.Replace("{id}", id, StringComparison.Ordinal).Replace("{url}", Url, StringComparison.Ordinal));

        var problem = await response.ExpectValidationProblemAsync(field);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("errors").GetProperty(field)[0].GetString()), rule);
        Assert.Equal((rows, agents), (await gateway.Database.CountRowsAsync(), await gateway.Database.CountAgentsAsync()));
        await (await gateway.Client.GetAsync($"/api/participants/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound, "participant-not-found");
    }

    [Fact]
    public async Task Several_bad_members_are_all_named_at_once()
    {
        var response = await gateway.Client.PostJsonAsync("/api/agents", """{"url":"ftp://x","max_attempts":0,"debounce_ms":70000,"status":"on"}""");

        await response.ExpectValidationProblemAsync("url", "max_attempts", "debounce_ms", "status");
    }

    [Fact]
    public async Task An_unresolvable_host_gets_a_detail_that_says_so()
    {
        var response = await gateway.Client.PostJsonAsync("/api/agents", """{"url":"https://no-such-host.invalid/hook"}""");

        var problem = await response.ExpectValidationProblemAsync("url");
        Assert.Contains("could not be resolved", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
