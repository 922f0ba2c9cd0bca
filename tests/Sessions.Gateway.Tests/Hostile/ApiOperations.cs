using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sessions.Gateway.Tests.Hostile;

/// <summary>A parameter of an operation: its name, where it goes (path, query, header) and its schema type, if any.</summary>
public sealed record ApiParameter(string Name, string In, string? Type);

/// <summary>
/// One route and method of the API as its OpenAPI document describes it, with the schema of its JSON body (resolved,
/// null when it takes none).
/// </summary>
public sealed record ApiOperation(HttpMethod Method, string Template, IReadOnlyList<ApiParameter> Parameters, JsonNode? BodySchema)
{
    public string Name => $"{Method} {Template}";

    /// <summary>Streams (SSE) never end by themselves: the client reads only the head of such an answer.</summary>
    public bool IsStream => Template.EndsWith("/events", StringComparison.Ordinal);
}

/// <summary>
/// The gateway's routes read from its own OpenAPI document (<c>/openapi/v1.json</c>), which ASP.NET builds from the
/// route table: a route added tomorrow is attacked tomorrow without a change here.
/// </summary>
public static class ApiOperations
{
    public static async Task<IReadOnlyList<ApiOperation>> ReadAsync(HttpClient client)
    {
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement.Clone();
        var operations = new List<ApiOperation>();
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var parameters = operation.Value.TryGetProperty("parameters", out var list)
                    ? list.EnumerateArray().Select(p => new ApiParameter(
                        p.GetProperty("name").GetString()!,
                        p.GetProperty("in").GetString()!,
                        p.TryGetProperty("schema", out var s) && s.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null)).ToList()
                    : [];
                var body = operation.Value.TryGetProperty("requestBody", out var requestBody)
                    && requestBody.GetProperty("content").TryGetProperty("application/json", out var json)
                    ? Inline(root, json.GetProperty("schema"), depth: 0)
                    : null;
                operations.Add(new ApiOperation(new HttpMethod(operation.Name.ToUpperInvariant()), path.Name, parameters, body));
            }
        }

        return operations;
    }

    /// <summary>The schema with every reference replaced by what it names (a few levels deep: enough for any body here).</summary>
    private static JsonNode Inline(JsonElement root, JsonElement schema, int depth)
    {
        var resolved = Resolve(root, schema);
        var node = new JsonObject();
        foreach (var member in resolved.EnumerateObject())
        {
            node[member.Name] = member.Name == "properties" && depth < 4
                ? new JsonObject(member.Value.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, (JsonNode?)Inline(root, p.Value, depth + 1))))
                : JsonNode.Parse(member.Value.GetRawText());
        }

        return node;
    }

    /// <summary>Follows <c>$ref</c> (and a nullable <c>oneOf</c> around one) to the schema it names.</summary>
    public static JsonElement Resolve(JsonElement root, JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            return Resolve(root, root.GetProperty("components").GetProperty("schemas").GetProperty(name));
        }

        if (schema.TryGetProperty("oneOf", out var choices))
        {
            var notNull = choices.EnumerateArray().Where(c => !(c.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null")).ToList();
            if (notNull.Count == 1)
            {
                return Resolve(root, notNull[0]);
            }
        }

        return schema;
    }
}
