using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sessions.Gateway.Tests.Hostile;

/// <summary>
/// Turns a valid JSON object (a request body or a WebSocket frame) into a bad one: one defect chosen by the seeded
/// random, named in the returned label so a failure reads as what was sent. Structural defects edit the object;
/// byte-level ones (invalid UTF-8, raw control bytes, broken syntax) edit its serialized bytes.
/// </summary>
public static class JsonMutations
{
    private static readonly JsonSerializerOptions Raw = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] WrongTypes = ["5", "-1", "1.5", "true", "false", "null", "\"\"", "\"x\"", "[]", "{}", "[1,\"a\",null]", "{\"a\":{\"b\":1}}", "\" \""];

    private static readonly string[] ExtremeNumbers =
    [
        "1e400", "-1e400", "1e-400", "-0", "-0.0", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "2147483648", "-2147483649", "1" + new string('0', 400), "0." + new string('0', 400) + "1", "1.7976931348623157e309", "4.9e-325", "1E+2147483648",
    ];

    private static readonly string[] NotJsonLiterals = ["NaN", "-NaN", "Infinity", "-Infinity", "undefined", "0x1F", "+1", "01", ".5", "1.", "1e", "'s'", "tru", "nul"];

    private static readonly string[] InvalidUtf8 = ["FF", "FE", "C0 80", "C1 BF", "80", "C3", "E2 82", "ED A0 80", "F0 9F 98", "F4 90 80 80", "F8 88 80 80 80", "C3 28"];

    private static readonly string[] OddText =
    [
        "\u202Eevil", "\u200B", "\uFEFF", "😀", "e\u0301", "\u0085", "\u2028", "ﷺ", "\\", "\"", "../../etc/passwd", "%00", "<script>", "' or 1=1 --", "${jndi:x}",
    ];

    public static byte[] Serialize(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString(Raw));

    /// <summary>One defect applied to <paramref name="body"/> (which it may change); returns the bytes to send and what was done.</summary>
    public static (byte[] Bytes, string Label) Mutate(JsonObject body, Random random)
    {
        var names = body.Select(p => p.Key).ToList();
        var name = names.Count > 0 ? names[random.Next(names.Count)] : "x";
        switch (random.Next(22))
        {
            case 0 when names.Count > 0:
                body.Remove(name);
                return (Serialize(body), $"without {name}");
            case 1:
                var copy = Serialize(body);
                var duplicate = Encoding.UTF8.GetBytes($",\"{name}\":{Pick(random, WrongTypes)}}}");
                return (body.Count == 0 ? copy : [.. copy[..^1], .. duplicate], $"{name} twice");
            case 2 or 3:
                var wrong = Pick(random, WrongTypes);
                body[name] = JsonNode.Parse(wrong);
                return (Serialize(body), $"{name} = {wrong}");
            case 4:
                body[name] = JsonValue.Create(new string(Pick(random, 'a', 'é', '字', ' '), random.Next(1_000, 80_000)));
                return (Serialize(body), $"{name} a huge string");
            case 5:
                return Nested(body, name, random);
            case 6:
                return (InsertIntoString(Serialize(body), Convert.FromHexString(Pick(random, InvalidUtf8).Replace(" ", "", StringComparison.Ordinal)), random), "invalid UTF-8 in a string");
            case 7:
                var control = (byte)random.Next(0, 0x20);
                return (InsertIntoString(Serialize(body), [control], random), $"raw control byte 0x{control:X2} in a string");
            case 8:
                var escaped = Pick(random, @"\u0000", @"\u0001", @"\u001b", @"\u007f", @"\ud800", @"\udfff", @"\ud800\ud800", @"\u0000\u0000");
                return (InsertIntoString(Serialize(body), Encoding.ASCII.GetBytes(escaped), random), $"escape {escaped} in a string");
            case 9:
                var odd = Pick(random, OddText);
                return (InsertIntoString(Serialize(body), Encoding.UTF8.GetBytes(JsonEncodedText.Encode(odd, Raw.Encoder).Value), random), $"odd text {odd} in a string");
            case 10 or 11:
                var number = Pick(random, ExtremeNumbers);
                body[name] = JsonNode.Parse(number);
                return (Serialize(body), $"{name} = {Shorten(number)}");
            case 12:
                var literal = Pick(random, NotJsonLiterals);
                return (Replace(body, name, literal), $"{name} = {literal}");
            case 13:
                var bytes = Serialize(body);
                var cut = random.Next(bytes.Length);
                return (bytes[..cut], $"cut at {cut} of {bytes.Length}");
            case 14:
                var trailer = Pick(random, "x", "}", ",", "{}", "\0", "[", "\"", " // c", "\n{\"a\":1}");
                return ([.. Serialize(body), .. Encoding.UTF8.GetBytes(trailer)], "trailing garbage");
            case 15:
                var other = Pick(random, "", " ", "null", "[]", "[{}]", "\"text\"", "0", "-0", "true", "{", "}", "\u0000", "{}{}", "{\"\":}", "{:1}", "[" + Serialize(body).Length + "]");
                return (Encoding.UTF8.GetBytes(other), $"body '{other}'");
            case 16:
                var garbage = new byte[random.Next(1, 2_000)];
                random.NextBytes(garbage);
                return (garbage, $"{garbage.Length} random bytes");
            case 17:
                body[name] = new JsonArray([.. Enumerable.Range(0, random.Next(1_000, 20_000)).Select(i => (JsonNode?)JsonValue.Create(i))]);
                return (Serialize(body), $"{name} a wide array");
            case 18:
                foreach (var i in Enumerable.Range(0, random.Next(500, 5_000)))
                {
                    body[$"k{i}"] = i;
                }

                return (Serialize(body), "thousands of unknown members");
            case 19:
                body[name] = JsonValue.Create(Pick(random, OddText) + new string('\u0001', random.Next(1, 4)));
                return (Serialize(body), $"{name} with control characters");
            case 20:
                body[name] = null;
                return (Serialize(body), $"{name} = null");
            default:
                var key = Pick(random, "", " ", "\u0000", "__proto__", "constructor", name.ToUpperInvariant(), name + " ", "\uD83D\uDE00");
                body[key] = Pick(random, WrongTypes);
                return (Serialize(body), $"member named '{key}'");
        }
    }

    /// <summary>Arrays or objects nested up to 10,000 deep, as a member or as the whole body.</summary>
    private static (byte[], string) Nested(JsonObject body, string name, Random random)
    {
        var depth = Pick(random, 65, 200, 1_000, 10_000);
        var (open, close) = Pick(random, ("[", "]"), ("{\"a\":", "}"));
        var nested = new StringBuilder().Insert(0, open, depth).Append('1').Insert(open.Length * depth + 1, close, depth).ToString();
        if (random.Next(3) == 0)
        {
            return (Encoding.UTF8.GetBytes(nested), $"a body nested {depth} deep");
        }

        return (Replace(body, name, nested), $"{name} nested {depth} deep");
    }

    /// <summary>The body with <paramref name="name"/>'s value written as <paramref name="text"/>, which need not be JSON.</summary>
    private static byte[] Replace(JsonObject body, string name, string text)
    {
        const string marker = "\"__hostile_marker__\"";
        body[name] = "__hostile_marker__";
        return Encoding.UTF8.GetBytes(body.ToJsonString(Raw).Replace(marker, text, StringComparison.Ordinal));
    }

    /// <summary>Bytes put just inside the opening quote of some string (a key or a value) of compact JSON.</summary>
    private static byte[] InsertIntoString(byte[] json, byte[] poison, Random random)
    {
        var starts = new List<int>();
        for (var i = 1; i < json.Length; i++)
        {
            if (json[i] == '"' && json[i - 1] is (byte)'{' or (byte)',' or (byte)':' or (byte)'[')
            {
                starts.Add(i + 1);
            }
        }

        var at = starts.Count == 0 ? json.Length / 2 : starts[random.Next(starts.Count)];
        return [.. json[..at], .. poison, .. json[at..]];
    }

    public static T Pick<T>(Random random, params T[] items) => items[random.Next(items.Length)];

    public static string Shorten(string text, int max = 60) => text.Length > max ? $"{text[..(max / 2)]}…({text.Length.ToString(CultureInfo.InvariantCulture)} chars)" : text;
}
