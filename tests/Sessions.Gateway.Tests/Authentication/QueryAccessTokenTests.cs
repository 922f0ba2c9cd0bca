using Microsoft.AspNetCore.Http.Features;
using Sessions.Gateway.Authentication;

namespace Sessions.Gateway.Tests.Authentication;

/// <summary>The <c>access_token</c> query parameter leaves the request (query string and raw target) before anything sees it.</summary>
public sealed class QueryAccessTokenTests
{
    [Theory]
    [InlineData("?access_token=sst_abc", "", "sst_abc")]
    [InlineData("?last_event_id=5&access_token=sst_abc", "?last_event_id=5", "sst_abc")]
    [InlineData("?access_token=sst_abc&last_event_id=5&x=%20y", "?last_event_id=5&x=%20y", "sst_abc")]
    [InlineData("?ACCESS_TOKEN=a%2Bb%3D", "", "a+b=")]
    [InlineData("?access%5Ftoken=sst_abc&a=1", "?a=1", "sst_abc")]
    [InlineData("?access_token", "", "")]
    public void The_token_is_taken_out_of_the_query_and_the_raw_target(string query, string left, string token)
    {
        var (features, request) = Request("/ws", query);

        QueryAccessToken.MoveToFeature(features);

        Assert.Equal(left, request.QueryString);
        Assert.Equal("/ws" + left, request.RawTarget);
        var taken = features.Get<QueryAccessToken>();
        Assert.NotNull(taken);
        Assert.Equal((token, 1), (taken.Token, taken.Count));
    }

    [Fact]
    public void Every_copy_of_the_parameter_goes_and_they_are_counted()
    {
        var (features, request) = Request("/ws", "?access_token=one&a=1&access_token=two");

        QueryAccessToken.MoveToFeature(features);

        Assert.Equal("?a=1", request.QueryString);
        Assert.Equal(("one", 2), (features.Get<QueryAccessToken>()!.Token, features.Get<QueryAccessToken>()!.Count));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?limit=5")]
    [InlineData("?my_access_token=x&access_tokens=y")]
    [InlineData("?x=%ZZ&y=%")]
    public void A_query_without_the_parameter_is_left_as_it_is(string query)
    {
        var (features, request) = Request("/api/sessions", query);

        QueryAccessToken.MoveToFeature(features);

        Assert.Equal(query, request.QueryString);
        Assert.Equal("/api/sessions" + query, request.RawTarget);
        Assert.Null(features.Get<QueryAccessToken>());
    }

    private static (FeatureCollection Features, HttpRequestFeature Request) Request(string path, string query)
    {
        var request = new HttpRequestFeature { Path = path, QueryString = query, RawTarget = path + query };
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(request);
        return (features, request);
    }
}
