using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Sessions.Abstractions;
using Limits = Sessions.Gateway.Tests.SmallLimitsGatewayFixture;

namespace Sessions.Gateway.Tests.Requests;

/// <summary>Every limit, configured small through <c>Sessions:Limits</c>, and crossed by one byte or one item.</summary>
public sealed class ConfiguredLimitsTests(SmallLimitsGatewayFixture gateway) : IClassFixture<SmallLimitsGatewayFixture>
{
    private readonly HttpClient _client = gateway.Client;

    [Fact]
    public void Limits_and_grain_collection_are_bound_from_configuration()
    {
        var limits = gateway.Gateway.Services.GetRequiredService<IOptions<LimitsOptions>>().Value;
        var collection = gateway.Gateway.Services.GetRequiredService<IOptions<GrainCollectionOptions>>().Value;

        Assert.Equal(Limits.MaxRequestBodyBytes, limits.MaxRequestBodyBytes);
        Assert.Equal(Limits.MaxContentBytes, limits.MaxContentBytes);
        Assert.Equal(Limits.MaxPageSize, limits.MaxPageSize);
        Assert.Equal(Limits.DefaultPageSize, limits.DefaultPageSize);
        Assert.Equal(Limits.MaxIdLength, limits.MaxIdLength);
        Assert.Equal(Limits.MaxDisplayNameLength, limits.MaxDisplayNameLength);
        Assert.Equal(TimeSpan.FromMinutes(2), collection.CollectionAge);
    }

    [Fact]
    public void Membership_timings_keep_their_tuned_defaults_unless_configured_and_the_resend_schedule_is_bound()
    {
        var membership = gateway.Gateway.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        var retries = gateway.Gateway.Services.GetRequiredService<IOptions<Sessions.Client.RetrySafeCallOptions>>().Value;

        Assert.Equal(5, membership.NumMissedProbesLimit);
        Assert.Equal(TimeSpan.FromSeconds(1), membership.ProbeTimeout);
        Assert.Equal(2, membership.NumVotesForDeathDeclaration);
        Assert.Equal(TimeSpan.FromSeconds(2), membership.TableRefreshTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), membership.IAmAliveTablePublishTimeout);
        Assert.Equal(TimeSpan.FromMinutes(1), membership.MaxJoinAttemptTime);
        Assert.Equal(4, retries.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(100), retries.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(1), retries.MaxDelay);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_and_writes_nothing()
    {
        var before = await gateway.Database.CountRowsAsync();

        var response = await _client.PostJsonAsync("/api/participants", ParticipantBodyOfSize(Limits.MaxRequestBodyBytes + 1));

        var problem = await response.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        Assert.Equal(Limits.MaxRequestBodyBytes, problem.GetProperty("limit_bytes").GetInt64());
        Assert.Equal(before, await gateway.Database.CountRowsAsync());
    }

    [Fact]
    public async Task A_body_at_the_limit_is_read()
    {
        var response = await _client.PostJsonAsync("/api/participants", ParticipantBodyOfSize(Limits.MaxRequestBodyBytes));

        await response.ExpectJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_chunked_body_without_content_length_is_cut_off_at_the_limit_with_a_413_and_writes_nothing()
    {
        var before = await gateway.Database.CountRowsAsync();
        var body = Encoding.UTF8.GetBytes(ParticipantBodyOfSize(Limits.MaxRequestBodyBytes * 4));

        // Sent raw, in one write: the server answers at the limit, before the rest is read (see RawHttp).
        var response = await RawHttp.SendAsync(_client.BaseAddress!, RawHttp.Post(_client.BaseAddress!, "/api/participants", body, chunkSize: 512));

        await response.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        Assert.Equal(before, await gateway.Database.CountRowsAsync());
    }

    [Fact]
    public async Task A_small_chunked_body_is_read_normally()
    {
        var body = Encoding.UTF8.GetBytes("""{"kind":"system"}""");

        var response = await _client.PostAsync("/api/participants", new ChunkedContent(body, chunkSize: 4));

        await response.ExpectJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Content_over_the_configured_limit_is_a_413_content_too_large_and_writes_nothing()
    {
        var (id, alice, _) = await _client.CreateSessionAsync();

        var response = await _client.AppendAsync(id, alice, new string('x', Limits.MaxContentBytes));

        await response.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge, "content-too-large");
        Assert.Equal(0, await gateway.Database.MessageCountAsync(id));
    }

    [Fact]
    public async Task Metadata_over_the_configured_limit_is_a_400_on_every_route_and_writes_nothing()
    {
        var (id, alice, bob) = await _client.CreateSessionAsync();
        var metadata = $$"""{"m":"{{new string('m', Limits.MaxMetadataBytes)}}"}""";
        var before = await gateway.Database.CountRowsAsync();

        var participant = await _client.PostJsonAsync("/api/participants", $$"""{"kind":"human","metadata":{{metadata}}}""");
        var session = await _client.PostJsonAsync("/api/sessions", $$"""{"initiator_id":"{{alice}}","peer_id":"{{bob}}","metadata":{{metadata}}}""");
        var message = await _client.PostJsonAsync($"/api/sessions/{id}/messages",
            $$"""{"sender_id":"{{alice}}","kind":"text","content":{},"metadata":{{metadata}}}""");

        await participant.ExpectValidationProblemAsync("metadata");
        await session.ExpectValidationProblemAsync("metadata");
        await message.ExpectValidationProblemAsync("metadata");
        Assert.Equal(before, await gateway.Database.CountRowsAsync());
    }

    /// <summary>
    /// Metadata is measured as sent, in UTF-8, on every route: non-ASCII text counts its UTF-8 bytes (not the six of an
    /// escape a serializer would write), and whitespace counts too. At the limit it is stored; one space more is refused.
    /// </summary>
    [Fact]
    public async Task Metadata_is_measured_as_sent_the_same_on_every_route()
    {
        var (id, alice, bob) = await _client.CreateSessionAsync();
        // {"m":"ééé…"} is 8 bytes around the text and 2 bytes per é: exactly the limit, far over it once escaped (\u00E9).
        var atLimit = $$"""{"m":"{{new string('é', (Limits.MaxMetadataBytes - 8) / 2)}}"}""";
        var oneOver = "{ " + atLimit[1..];
        Assert.Equal(Limits.MaxMetadataBytes, Encoding.UTF8.GetByteCount(atLimit));

        foreach (var (metadata, accepted) in new[] { (atLimit, true), (oneOver, false) })
        {
            var before = await gateway.Database.CountRowsAsync();
            var responses = new[]
            {
                await _client.PostJsonAsync("/api/participants", $$"""{"kind":"human","metadata":{{metadata}}}"""),
                await _client.PostJsonAsync("/api/sessions", $$"""{"initiator_id":"{{alice}}","peer_id":"{{bob}}","metadata":{{metadata}}}"""),
                await _client.PostJsonAsync($"/api/sessions/{id}/messages", $$"""{"sender_id":"{{alice}}","kind":"text","content":{},"metadata":{{metadata}}}"""),
                await _client.PostJsonAsync($"/api/sessions/{id}/replies", $$"""{"sender_id":"{{alice}}","metadata":{{metadata}}}"""),
            };

            foreach (var response in responses)
            {
                if (accepted)
                {
                    await response.ExpectJsonAsync(HttpStatusCode.Created);
                }
                else
                {
                    await response.ExpectValidationProblemAsync("metadata");
                }
            }

            if (!accepted)
            {
                Assert.Equal(before, await gateway.Database.CountRowsAsync());
            }
        }
    }

    [Fact]
    public async Task A_page_larger_than_the_configured_maximum_is_a_400_and_the_default_page_is_the_configured_one()
    {
        var (id, alice, _) = await _client.CreateSessionAsync();
        for (var i = 0; i < Limits.DefaultPageSize + 1; i++)
        {
            await (await _client.AppendAsync(id, alice, $"m{i}")).ExpectJsonAsync(HttpStatusCode.Created);
        }

        var tooLarge = await _client.GetAsync($"/api/sessions/{id}/messages?limit={Limits.MaxPageSize + 1}");
        var participants = await _client.GetAsync($"/api/participants?limit={Limits.MaxPageSize + 1}");
        var sessions = await _client.GetAsync($"/api/sessions?participant_id={alice}&limit={Limits.MaxPageSize + 1}");
        var defaultPage = await (await _client.GetAsync($"/api/sessions/{id}/messages")).ExpectJsonAsync(HttpStatusCode.OK);

        await tooLarge.ExpectValidationProblemAsync("limit");
        await participants.ExpectValidationProblemAsync("limit");
        await sessions.ExpectValidationProblemAsync("limit");
        Assert.Equal(Limits.DefaultPageSize, defaultPage.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task An_id_longer_than_the_configured_maximum_is_a_400()
    {
        var response = await _client.PostJsonAsync("/api/participants", $$"""{"id":"{{new string('a', Limits.MaxIdLength + 1)}}","kind":"human"}""");

        await response.ExpectValidationProblemAsync("id");
    }

    /// <summary>A valid participant body of exactly <paramref name="bytes"/> bytes (the display name fills it up).</summary>
    private static string ParticipantBodyOfSize(int bytes)
    {
        const string Empty = """{"kind":"human","display_name":""}""";
        var body = $$"""{"kind":"human","display_name":"{{new string('n', bytes - Empty.Length)}}"}""";
        Assert.Equal(bytes, Encoding.UTF8.GetByteCount(body));
        return body;
    }

    /// <summary>Content of unknown length, so HttpClient sends it with Transfer-Encoding: chunked.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] _body;
        private readonly int _chunkSize;

        public ChunkedContent(byte[] body, int chunkSize)
        {
            _body = body;
            _chunkSize = chunkSize;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < _body.Length; offset += _chunkSize)
            {
                await stream.WriteAsync(_body.AsMemory(offset, Math.Min(_chunkSize, _body.Length - offset)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
