using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Sessions.Gateway.Tests.Hosting;

public sealed class JsonContractTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private readonly JsonSerializerOptions _options =
        gateway.Gateway.Services.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions;

    [Fact]
    public void The_http_api_serializes_only_through_source_generated_contexts()
    {
        Assert.NotEmpty(_options.TypeInfoResolverChain);
        Assert.All(_options.TypeInfoResolverChain, resolver => Assert.IsAssignableFrom<JsonSerializerContext>(resolver));
        Assert.Throws<NotSupportedException>(() => _options.GetTypeInfo(typeof(UnregisteredDto)));
    }

    [Fact]
    public void The_http_api_writes_snake_case_and_reads_numbers_strictly()
    {
        Assert.Same(JsonNamingPolicy.SnakeCaseLower, _options.PropertyNamingPolicy);
        Assert.Equal(JsonNumberHandling.Strict, _options.NumberHandling);
    }

    private sealed record UnregisteredDto(string Name);
}
