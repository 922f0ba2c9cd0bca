using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Sessions.Gateway.Tests.Hostile.JsonMutations;

namespace Sessions.Gateway.Tests.Hostile;

/// <summary>
/// Generates bad HTTP requests for every operation of the API: request <c>i</c> depends only on the seed and
/// <c>i</c>, so one failing request can be made again alone. Operations take turns; each request starts from a valid
/// one (ids of a <see cref="HostileScene"/>, a body built from the operation's schema) and gets one defect: in its
/// body, a path value, a query value, a header, its content type, its method, or a body over the size limit.
/// </summary>
public sealed class HostileHttpRequests(int seed, IReadOnlyList<ApiOperation> operations, AttackTargets targets, long maxBodyBytes)
{
    private const string Json = "application/json";

    private static readonly string[] BadPathValues =
    [
        "%00", "a%00b", "%01", "%1F", "%7F", "%0A", "%0D%0A", "%09", "%FF", "%C0%80", "%ED%A0%80", "%E2%80%AE", "%F0%9F%98%80", "%20", "%22", "%5C", "%25",
        "%2F", "%2F..%2F..", "%3F", "%23", "%", "%G1", "..", ".", "-1", "0", "9223372036854775808", "99999999999999999999999", "1e400", "NaN", "null",
        "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "'", "%27%3B--", "%C2%85", "%EF%BB%BF", "%E2%80%8B",
    ];

    private static readonly string[] BadQueryValues =
    [
        "", "-1", "0", "-0", "1.5", "1e3", "1e400", "NaN", "Infinity", "0x10", "abc", "2147483648", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "99999999999999999999", "%00", "a%00", "%01", "%0A", "%FF", "%C0%80", "%ED%A0%80", "%E2%80%AE", "%", "%G0", "+", "%20", "true",
        "eyJ4IjoxfQ", "eyJzZXEiOi0xfQ==", "!!!", "%7B%7D", "AAAA", "____", "=",
    ];

    private static readonly string[] BadContentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
        "application/json; charset=iso-8859-1", "application/json; charset=\"", "application/jsonx", "json", "", "application/", ";;;", "*/*",
        "application/problem+json", "text/json", "application/json; charset=utf-8; charset=utf-16",
    ];

    private static readonly string[] OtherMethods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "FOO"];

    private static readonly string[] ListStatuses = ["active", "closed", "pending", "succeeded", "failed", "ACTIVE", "bogus", "", "%00"];

    public HostileHttpRequest Generate(int index)
    {
        var random = new Random(unchecked((seed * 1_000_003) + index));
        var operation = operations[index % operations.Count];
        var scene = Pick(random, [.. targets.Scenes]);
        var kinds = new List<string> { "method" };
        if (operation.Parameters.Any(p => p.In == "path"))
        {
            kinds.AddRange(["path", "path"]);
        }

        if (operation.Parameters.Any(p => p.In == "query"))
        {
            kinds.AddRange(["query", "query", "query"]);
        }

        if (operation.Parameters.Any(p => p.In == "header"))
        {
            kinds.Add("header");
        }

        if (operation.BodySchema is not null || operation.Method != HttpMethod.Get)
        {
            kinds.AddRange(Enumerable.Repeat("body", 10));
            kinds.Add("content-type");
        }
        else
        {
            kinds.Add("get-with-body");
        }

        var kind = kinds[random.Next(kinds.Count)];
        if (kind == "body" && random.Next(400) == 0)
        {
            kind = "over-limit";
        }

        var label = kind;
        var path = Path(operation, scene, random, kind == "path", ref label);
        var query = Query(operation, random, kind == "query", ref label);
        var headers = new List<KeyValuePair<string, string>>();
        if (kind == "header")
        {
            var value = Pick(random, "-1", "abc", "99999999999999999999", "9223372036854775808", new string('9', 5_000), "1 2", "\t", "%00");
            headers.Add(KeyValuePair.Create("Last-Event-ID", value));
            label = $"Last-Event-ID: {Shorten(value)}";
        }

        var method = operation.Method;
        if (kind == "method")
        {
            method = new HttpMethod(Pick(random, OtherMethods.Where(m => m != operation.Method.Method).ToArray()));
            label = $"method {method}";
        }

        byte[]? body = null;
        string? contentType = null;
        if (operation.BodySchema is not null || kind is "get-with-body" or "body" or "content-type" or "over-limit")
        {
            var valid = operation.BodySchema is { } schema ? ValidBody(schema, scene, index, random) : new JsonObject { ["x"] = 1 };
            contentType = Json;
            body = Serialize(valid);
            switch (kind)
            {
                case "body" or "get-with-body":
                    (body, var defect) = Mutate(valid, random);
                    label = $"{kind}: {defect}";
                    break;
                case "content-type":
                    contentType = Pick(random, [.. BadContentTypes, null]);
                    label = $"content type '{contentType}'";
                    break;
                case "over-limit":
                    valid[Pick(random, [.. valid.Select(p => p.Key).DefaultIfEmpty("x")])] = new string('o', (int)maxBodyBytes + random.Next(1, 300_000));
                    body = Serialize(valid);
                    label = $"body of {body.Length} bytes, over the limit";
                    break;
            }
        }

        return new HostileHttpRequest(index, operation, label, method, path + query, body, contentType, headers) { IsOverLimit = kind == "over-limit" };
    }

    private string Path(ApiOperation operation, HostileScene scene, Random random, bool spoil, ref string label)
    {
        var names = operation.Parameters.Where(p => p.In == "path").Select(p => p.Name).ToList();
        var spoiled = spoil ? names[random.Next(names.Count)] : null;
        var segments = operation.Template.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (!segments[i].StartsWith('{'))
            {
                continue;
            }

            var name = segments[i].Trim('{', '}');
            var real = RealId(operation, name, i > 0 ? segments[i - 1] : "", scene, random);
            if (name == spoiled)
            {
                var bad = random.Next(8) switch
                {
                    0 => new string(Pick(random, 'a', '9', '-'), random.Next(129, 9_000)),
                    1 => string.Concat(Enumerable.Repeat("%F0%9F%98%80", random.Next(10, 200))),
                    _ => Insert(real, Pick(random, BadPathValues), random),
                };
                segments[i] = bad;
                label = $"path {name} = {Shorten(bad)}";
            }
            else
            {
                segments[i] = Uri.EscapeDataString(real);
            }
        }

        return string.Join('/', segments);
    }

    /// <summary>An id that exists, of the kind the segment before the parameter names.</summary>
    private string RealId(ApiOperation operation, string name, string collection, HostileScene scene, Random random) => (name, collection) switch
    {
        ("replyId", _) => scene.ReplyId,
        (_, "agents") when operation.Method == HttpMethod.Delete => Pick(random, [.. targets.DisposableAgents]),
        (_, "agents") => scene.Agent,
        (_, "participants") => Pick(random, scene.Initiator, scene.Peer, scene.Agent),
        (_, "deliveries") => targets.DeliveryId,
        _ => scene.SessionId,
    };

    private static string Query(ApiOperation operation, Random random, bool spoil, ref string label)
    {
        var parameters = operation.Parameters.Where(p => p.In == "query").ToList();
        if (parameters.Count == 0)
        {
            return spoil ? "?" + Pick(random, BadQueryValues) : "";
        }

        var spoiled = spoil ? parameters[random.Next(parameters.Count)].Name : null;
        var pairs = new List<string>();
        foreach (var parameter in parameters)
        {
            if (parameter.Name == spoiled)
            {
                var value = random.Next(10) == 0 ? new string('7', random.Next(100, 6_000)) : Pick(random, BadQueryValues);
                pairs.Add($"{parameter.Name}={value}");
                if (random.Next(4) == 0)
                {
                    pairs.Add($"{parameter.Name}={Pick(random, BadQueryValues)}");
                }

                label = $"query {parameter.Name} = {Shorten(value)}";
            }
            else if (random.Next(2) == 0)
            {
                pairs.Add($"{parameter.Name}={PlausibleQueryValue(parameter.Name, random)}");
            }
        }

        if (spoil && random.Next(5) == 0)
        {
            pairs.Add($"{Pick(random, "%00", "unknown", "limit[]", "", "=", "&&")}={Pick(random, BadQueryValues)}");
        }

        return pairs.Count == 0 ? "" : "?" + string.Join('&', pairs);
    }

    private static string PlausibleQueryValue(string name, Random random) => name switch
    {
        "limit" => random.Next(1, 20).ToString(CultureInfo.InvariantCulture),
        "status" => Pick(random, ListStatuses),
        "after_seq" or "before_seq" or "last_event_id" => random.Next(0, 5).ToString(CultureInfo.InvariantCulture),
        _ => Pick(random, "x", "abc", ""),
    };

    private static string Insert(string real, string bad, Random random)
    {
        var escaped = Uri.EscapeDataString(real);
        var at = random.Next(escaped.Length + 1);
        // Never inside a %XX escape of the real id.
        while (at > 0 && at < escaped.Length && (escaped[at - 1] == '%' || (at > 1 && escaped[at - 2] == '%')))
        {
            at--;
        }

        return escaped[..at] + bad + escaped[at..];
    }

    /// <summary>A body the operation would accept, built from its schema, with this scene's ids where ids go.</summary>
    private static JsonObject ValidBody(JsonNode schema, HostileScene scene, int index, Random random)
    {
        var body = new JsonObject();
        if (schema["properties"] is not JsonObject properties)
        {
            return body;
        }

        foreach (var (name, property) in properties)
        {
            if (Value(name, property, scene, index, random) is { } value)
            {
                body[name] = value;
            }
        }

        return body;
    }

    private static JsonNode? Value(string name, JsonNode? schema, HostileScene scene, int index, Random random)
    {
        if (schema?["enum"] is JsonArray choices && choices.Count > 0)
        {
            return choices[random.Next(choices.Count)]!.DeepClone();
        }

        return name switch
        {
            "sender_id" or "participant_id" => Pick(random, scene.Initiator, scene.Peer),
            "initiator_id" => scene.Initiator,
            "peer_id" => scene.Peer,
            "agent_id" => scene.Agent,
            "id" => $"hx-{index}",
            "reply_id" => $"rx-{index}",
            "client_message_id" => $"cx-{index}",
            "url" => "http://127.0.0.1:9/hook",
            "secret" => "hostile-secret-0123456789abcdef0123456789",
            "kind" => "text",
            "status" => "enabled",
            "mode" => "tail",
            "content" => new JsonObject { ["text"] = "hello" },
            "metadata" => new JsonObject { ["source"] = "hostile", ["n"] = random.Next(100) },
            "expected_seq" or "expires_at" => null,
            _ => TypeOf(schema) switch
            {
                "object" => ValidBody(schema!, scene, index, random),
                "integer" or "number" => random.Next(1, 5),
                "boolean" => random.Next(2) == 0,
                _ => "x",
            },
        };
    }

    private static string? TypeOf(JsonNode? schema) => schema?["type"] switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null"),
        _ => schema?["properties"] is not null ? "object" : null,
    };
}
