using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Sessions.Gateway.Tests;

/// <summary>
/// One request of a hostile-input run: a label saying what was done to it, the exact bytes it sends, and the problem
/// code its defect must earn when only one answer is right (null: any 4xx will do).
/// </summary>
public sealed record HostileRequest(string Label, HttpMethod Method, string PathAndQuery, byte[]? Body, string? ContentType, string? ExpectedProblem = null)
{
    /// <summary>True for a request that must not change anything (every generated write is invalid by construction).</summary>
    public bool IsWrite => Method == HttpMethod.Post;

    public HttpRequestMessage ToMessage(Uri baseAddress)
    {
        // The path goes out exactly as generated: no canonicalization may repair (or re-escape) what the test broke.
        var uri = new Uri(baseAddress.GetLeftPart(UriPartial.Authority) + PathAndQuery, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var message = new HttpRequestMessage(Method, uri);
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        return message;
    }
}

/// <summary>
/// Generates bad requests from a seed, against every route. Each write (POST) starts from a valid body, gets some
/// harmless noise, and then exactly one defect that must make the gateway refuse it: a NUL escape, invalid UTF-8 or a
/// lone surrogate in some string or property name, a number no database column can hold, broken syntax, nesting past
/// the limit, a wrong type or a missing field, a bad content type, an oversized field, a control character in an id,
/// or a path id that cannot exist. So no generated write may succeed, and none may be a 5xx. Reads get NUL, control
/// characters, invalid percent-encodings and crafted cursors in their path and query values.
/// </summary>
public sealed class HostileRequests(int seed, HostileTargets targets)
{
    private const string Json = "application/json";
    private readonly Random _random = new(seed);
    private int _serial;

    private static readonly string[] InvalidUtf8 =
    [
        "FF", "FE", "C0 80", "C1 BF", "80", "BF", "C3", "E2 82", "ED A0 80", "ED BF BF", "F0 9F 98", "F4 90 80 80", "F8 88 80 80 80", "FC 84 80 80 80 80", "E0 80 80", "F0 80 80 80", "C3 28",
    ];

    private static readonly string[] LoneSurrogates =
    [
        @"\ud800", @"\uDBFF", @"\udc00", @"\uDFFF", @"\ud800x", @"\udc00\ud800", @"\ud800\ud800", @"\ud83d\u0041", @"\uD834",
    ];

    private static readonly string[] ExtremeNumbers =
    [
        "1e400", "-1e400", "1e-500", "1E+99999", "-1e-99999", "1e2147483648", "1e99999999999999999999", "1e-2147483649",
        "9e131072", "1e200000", "1.5e-20000", "0e-500", "0." + new string('0', 500) + "1", "1" + new string('0', 1000),
        "-" + new string('9', 2000), "0." + new string('7', 17000), "123456789e400", "1.7976931348623157e400",
        "0e1100000000", "-0.0e2000000000", "0e1073741823", "0e1000001",
    ];

    private static readonly string[] BadContentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
        "application/json; charset=iso-8859-1", "application/jsonx", "json", "", "application/", ";;;",
        "text/json; charset=utf-8", "*/*",
    ];

    private static readonly string[] BadPathParts =
    [
        "%00", "%01", "%1F", "%7F", "%0A", "%0D", "%09", "%FF", "%C0%80", "%ED%A0%80", "%E2%80%AE", "%20", "%22", "%5C", "%25", "%2F", "%3F", "%23", "%F0%9F%98%80", "%C2%85",
    ];

    private static readonly string[] BadQueryValues =
    [
        "%00", "a%00b", "%01", "%0A", "%0D%0A", "%7F", "%FF", "%C0%80", "%ED%A0%80", "%C2%85", "%E2%80%AE", "-1", "1e3", "0x10", "99999999999999999999", "9223372036854775807",
        "9223372036854775808", "%201", "1%00", "", "%", "%G0", "+", "1.5", "NaN",
    ];

    private static readonly string[] WrongMethods = ["PUT", "DELETE", "PATCH"];

    /// <summary>The requests, in a fixed order for the seed.</summary>
    public List<HostileRequest> Generate(int count)
    {
        var requests = new List<HostileRequest>(count);
        while (requests.Count < count)
        {
            requests.Add(_random.Next(20) switch
            {
                < 4 => Participant(),
                < 8 => Session(),
                < 10 => Status(),
                < 15 => Message(),
                < 17 => PathValue(),
                < 19 => QueryValue(),
                _ => WrongMethod(),
            });
        }

        return requests;
    }

    private HostileRequest Participant()
    {
        var body = Obj(
            ("id", Str($"fz-{Next()}")),
            ("kind", Str(Pick("human", "agent", "system"))),
            ("display_name", Str("Fuzzy " + Next())),
            ("metadata", SomeMetadata()));
        return Write("participants", "/api/participants", body, root => Pick<Func<JObj, string?>>(
            r => WrongType(r, "kind", "5", "true", "{}", "[\"human\"]", "\"robot\"", "\"\"", "null"),
            r => WrongType(r, "id", "5", "{}", "[]", "\"bad id\"", "\"\"", "\"a/b\""),
            r => WrongType(r, "display_name", "5", "{}", "[]", "false"),
            r => WrongType(r, "metadata", "[]", "\"m\"", "5", "true"),
            r => Remove(r, "kind"),
            r => Oversized(r, "display_name", 300, 300_000),
            r => Oversized(r, "id", 129, 5_000))(root));
    }

    private HostileRequest Session()
    {
        var body = Obj(
            ("initiator_id", Str(targets.Alice)),
            ("peer_id", Str(targets.Bob)),
            ("kind", Str(Pick("chat", "support", "task.review"))),
            ("task_id", Str($"task-{Next()}")),
            ("metadata", SomeMetadata()));
        if (_random.Next(2) == 0)
        {
            body.Members.Add((Key("agent_id"), Str(targets.Agent)));
        }

        return Write("sessions", "/api/sessions", body, root => Pick<Func<JObj, string?>>(
            r => WrongType(r, "initiator_id", "5", "{}", "[]", "null", "\"\""),
            r => WrongType(r, "peer_id", "5", "{}", "[]", "null", "\"\"", $"\"{targets.Alice}\""),
            r => WrongType(r, "agent_id", "5", "{}", "[]", $"\"{targets.Bob}\"", "\"ghost\""),
            r => WrongType(r, "kind", "5", "{}", "\"has space\"", "\"ü\""),
            r => WrongType(r, "task_id", "5", "{}", "[]", "\"\""),
            r => WrongType(r, "metadata", "[]", "\"m\"", "5"),
            r => Remove(r, Pick("initiator_id", "peer_id")),
            r => Oversized(r, "task_id", 129, 10_000),
            r => Oversized(r, "kind", 129, 10_000),
            r => ControlCharacter(r, "task_id"))(root));
    }

    private HostileRequest Status()
    {
        var body = Obj(("status", Str(Pick("closed", "idle"))));
        return Write("status", $"/api/sessions/{targets.SessionId}/status", body, root => Pick<Func<JObj, string?>>(
            r => WrongType(r, "status", "5", "true", "{}", "[\"closed\"]", "\"paused\"", "\"\"", "null"),
            r => Remove(r, "status"))(root));
    }

    private HostileRequest Message()
    {
        var content = Obj(("text", Str(Pick("hello", "hi there", "¿qué?", "第一"))), ("parts", Arr(Str("a"), Raw("1"), Raw("true"), Obj(("k", Str("v"))))));
        var body = Obj(
            ("sender_id", Str(Pick(targets.Alice, targets.Bob))),
            ("kind", Str(Pick("text", "tool_call", "support.ticket"))),
            ("content", content),
            ("metadata", SomeMetadata()),
            ("client_message_id", Str($"cm-{Next()}")));
        return Write("messages", $"/api/sessions/{targets.SessionId}/messages", body, root => Pick<Func<JObj, string?>>(
            r => WrongType(r, "sender_id", "5", "{}", "[]", "null", "\"\"", $"\"{targets.Stranger}\""),
            r => WrongType(r, "kind", "5", "{}", "\"has space\"", "\"\"", "null"),
            r => WrongType(r, "content", "\"text\"", "[]", "5", "null", "true"),
            r => WrongType(r, "metadata", "[]", "\"m\"", "5"),
            r => WrongType(r, "client_message_id", "5", "{}", "\"\""),
            r => WrongType(r, "expected_seq", "\"0\"", "-1", "1.5", "1e3", "99999999999999999999", "{}", "5"),
            r => Remove(r, Pick("sender_id", "kind", "content")),
            r => Oversized(r, "client_message_id", 129, 10_000),
            r => Oversized(r, "kind", 129, 10_000),
            r => OversizedContent(r),
            r => ControlCharacter(r, "client_message_id"))(root));
    }

    /// <summary>A path id no session or participant can have; POSTs carry a valid body, so only the id is wrong.</summary>
    private HostileRequest PathValue()
    {
        var id = BadId();
        var (method, path, body) = _random.Next(5) switch
        {
            0 => (HttpMethod.Get, $"/api/participants/{id}", null),
            1 => (HttpMethod.Get, $"/api/sessions/{id}", null),
            2 => (HttpMethod.Get, $"/api/sessions/{id}/messages?limit=5", null),
            3 => (HttpMethod.Post, $"/api/sessions/{id}/status", "{\"status\":\"closed\"}"),
            _ => (HttpMethod.Post, $"/api/sessions/{id}/messages", $"{{\"sender_id\":\"{targets.Alice}\",\"kind\":\"text\",\"content\":{{\"text\":\"x\"}}}}"),
        };
        return new HostileRequest($"path id {id}", method, path, body is null ? null : Encoding.UTF8.GetBytes(body), body is null ? null : Json);
    }

    private string BadId()
    {
        var real = Pick(targets.SessionId, targets.Alice, "x", "");
        if (_random.Next(10) == 0)
        {
            return new string('a', _random.Next(129, 4000)) + Pick(BadPathParts);
        }

        var at = _random.Next(real.Length + 1);
        return real[..at] + Pick(BadPathParts) + real[at..];
    }

    private HostileRequest QueryValue()
    {
        string query = _random.Next(6) switch
        {
            0 => $"/api/sessions?participant_id={Pick(targets.Alice, "x", "")}{Pick(BadQueryValues)}",
            1 => $"/api/sessions?participant_id={targets.Alice}&status={Pick(BadQueryValues)}&limit={Pick(BadQueryValues)}",
            2 => $"/api/sessions?participant_id={targets.Alice}&cursor={BadCursor()}",
            3 => $"/api/participants?cursor={BadCursor()}&limit={Pick("1", "2", Pick(BadQueryValues))}",
            4 => $"/api/sessions/{targets.SessionId}/messages?after_seq={Pick(BadQueryValues)}&before_seq={Pick(BadQueryValues)}&limit={Pick(BadQueryValues)}",
            _ => $"/api/participants?limit={Pick(BadQueryValues)}&{Pick(BadQueryValues)}={Pick(BadQueryValues)}",
        };
        return new HostileRequest($"query {query}", HttpMethod.Get, query, null, null);
    }

    /// <summary>Cursors as this service writes them (tag, ticks, id), but holding what no stored id holds, or garbage.</summary>
    private string BadCursor()
    {
        var bytes = _random.Next(8) switch
        {
            0 => [(byte)'I', 0],
            1 => Concat([(byte)'I'], Encoding.UTF8.GetBytes(targets.Alice), [0, (byte)'z']),
            2 => Concat([(byte)'T'], Ticks(DateTimeOffset.UtcNow.UtcTicks), [(byte)'a', 0]),
            3 => Concat([(byte)'T'], Ticks(long.MaxValue), [(byte)'a']),
            4 => Concat([(byte)'I'], Hex(Pick(InvalidUtf8))),
            5 => Concat([(byte)'T'], Ticks(-1), [(byte)'a']),
            6 => Concat([(byte)Pick('I', 'T')], RandomBytes(_random.Next(0, 40))),
            _ => null,
        };
        return bytes is null
            ? Pick("%00", "%25%25", "====", "AA%00AA", new string('A', 5000), "SQ%01", "%FF%FE")
            : Base64Url.EncodeToString(bytes);
    }

    private static byte[] Ticks(long ticks)
    {
        var bytes = new byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(bytes, ticks);
        return bytes;
    }

    private HostileRequest WrongMethod()
    {
        var path = Pick("/api/participants", $"/api/participants/{targets.Alice}", "/api/sessions", $"/api/sessions/{targets.SessionId}",
            $"/api/sessions/{targets.SessionId}/status", $"/api/sessions/{targets.SessionId}/messages");
        var method = new HttpMethod(Pick(WrongMethods));
        return new HostileRequest($"{method} {path}", method, path, "{\"status\":\"closed\"}"u8.ToArray(), Json);
    }

    /// <summary>
    /// A write: the valid <paramref name="body"/>, some noise, then exactly one defect (a shared one, or one of the
    /// route's own, <paramref name="routeDefect"/>, which names itself or returns null if it did not apply).
    /// </summary>
    private HostileRequest Write(string route, string path, JObj body, Func<JObj, string?> routeDefect)
    {
        for (var i = _random.Next(3); i > 0; i--)
        {
            AddNoise(body);
        }

        var contentType = Json;
        string? defect = null;
        string? expected = null;
        byte[]? bytes = null;
        while (defect is null)
        {
            switch (_random.Next(14))
            {
                case 0 or 1:
                    defect = InsertIntoSomeString(body, @"\u0000"u8.ToArray(), "NUL escape");
                    expected = "validation";
                    break;
                case 2 or 3:
                    defect = InsertIntoSomeString(body, Hex(Pick(InvalidUtf8)), "invalid UTF-8");
                    expected = "invalid-json";
                    break;
                case 4:
                    defect = InsertIntoSomeString(body, Encoding.ASCII.GetBytes(Pick(LoneSurrogates)), "lone surrogate");
                    expected = "invalid-json";
                    break;
                case 5:
                    defect = ExtremeNumber(body);
                    expected = "validation";
                    break;
                case 6:
                    defect = DeepNesting(body);
                    expected = "invalid-json";
                    break;
                case 7:
                    (bytes, defect) = BrokenSyntax(body);
                    expected = "invalid-json";
                    break;
                case 8:
                    contentType = Pick(BadContentTypes.Append(null).ToArray());
                    defect = $"content type '{contentType}'";
                    expected = "unsupported-media-type";
                    break;
                case 9:
                    (bytes, defect) = NotAnObject();
                    break;
                default:
                    defect = routeDefect(body);
                    break;
            }
        }

        bytes ??= body.ToBytes();
        return new HostileRequest($"{route}: {defect}", HttpMethod.Post, path, bytes, contentType, expected);
    }

    private void AddNoise(JObj body)
    {
        switch (_random.Next(5))
        {
            case 0:
                body.Members.Add((Key($"unknown_{Next()}"), Pick<JValue>(Str("x"), Raw("1.5"), Raw("null"), Obj(("a", Arr(Raw("1")))))));
                break;
            case 1:
                // Escaped control characters and non-ASCII text are fine in free text.
                InsertIntoFreeText(body, Encoding.ASCII.GetBytes(Pick(@"\t", @"\n", @"\r\n", @"\u0001", @"\u001f", @"\u007f", @"\u0085", @"\ud83d\ude00", @"\u2028", @"\\", @"\""")));
                break;
            case 2:
                InsertIntoFreeText(body, Encoding.UTF8.GetBytes(Pick("😀", "ü", "中文", "e\u0301", "\u200B", "\uFFFD")));
                break;
            case 3:
                body.Members.Reverse();
                break;
            default:
                if (FindObject(body, "metadata") is { } metadata)
                {
                    metadata.Members.Add((Key("n"), Raw(Pick("0", "-0", "1.5e10", "1e308", "-1e-308", "12345678901234567890", "0.1"))));
                }

                break;
        }
    }

    private string? InsertIntoSomeString(JObj body, byte[] poison, string what)
    {
        var strings = new List<(JStr Str, string Where)>();
        Collect(body, "$", strings);
        var (target, where) = strings[_random.Next(strings.Count)];
        target.Raw.InsertRange(InsertionPoint(target), poison);
        return $"{what} in {where}";
    }

    private void InsertIntoFreeText(JObj body, byte[] text)
    {
        var strings = new List<(JStr Str, string Where)>();
        foreach (var name in new[] { "display_name", "content", "metadata" })
        {
            if (FindMember(body, name) is { } member)
            {
                Collect(member, name, strings);
            }
        }

        if (strings.Count > 0)
        {
            var target = strings[_random.Next(strings.Count)].Str;
            target.Raw.InsertRange(InsertionPoint(target), text);
        }
    }

    private static void Collect(JValue value, string where, List<(JStr, string)> strings)
    {
        switch (value)
        {
            case JStr s:
                strings.Add((s, where));
                break;
            case JObj o:
                foreach (var (key, member) in o.Members)
                {
                    var name = Encoding.UTF8.GetString(key.Raw.ToArray());
                    strings.Add((key, $"key of {where}.{name}"));
                    Collect(member, $"{where}.{name}", strings);
                }

                break;
            case JArr a:
                for (var i = 0; i < a.Items.Count; i++)
                {
                    Collect(a.Items[i], $"{where}[{i}]", strings);
                }

                break;
        }
    }

    private string ExtremeNumber(JObj body)
    {
        var number = Pick(ExtremeNumbers);
        var shown = number.Length > 24 ? $"{number[..12]}...({number.Length} chars)" : number;
        if (_random.Next(2) == 0 && FindObject(body, Pick("metadata", "content")) is { } nested)
        {
            nested.Members.Add((Key("big"), Raw(number)));
            return $"number {shown} in a nested object";
        }

        var at = _random.Next(body.Members.Count);
        body.Members[at] = (body.Members[at].Key, Raw(number));
        return $"number {shown} as {Encoding.UTF8.GetString(body.Members[at].Key.Raw.ToArray())}";
    }

    private string DeepNesting(JObj body)
    {
        var depth = _random.Next(64, 400);
        var deep = new string('[', depth) + new string(']', depth);
        if (FindObject(body, Pick("metadata", "content")) is { } nested)
        {
            nested.Members.Add((Key("deep"), Raw(deep)));
            return $"nesting {depth} deep in a nested object";
        }

        body.Members.Add((Key("deep"), Raw(deep)));
        return $"nesting {depth} deep";
    }

    private (byte[], string) BrokenSyntax(JObj body)
    {
        var bytes = body.ToBytes();
        switch (_random.Next(7))
        {
            case 0:
                var cut = _random.Next(bytes.Length);
                return (bytes[..cut], $"truncated at {cut} of {bytes.Length}");
            case 1:
                // A raw control character inside a string: JSON wants it escaped.
                var strings = new List<(JStr Str, string Where)>();
                Collect(body, "$", strings);
                var (target, where) = strings[_random.Next(strings.Count)];
                var control = (byte)_random.Next(0, 0x20);
                target.Raw.Insert(InsertionPoint(target), control);
                return (body.ToBytes(), $"raw control byte 0x{control:X2} in {where}");
            case 2:
                var trailer = Pick("x", "}", ",", "{}", "\u0000", "[", "\"");
                return (Concat(bytes, Encoding.UTF8.GetBytes(trailer)), "trailing garbage");
            case 3:
                return (Concat("{/* comment */"u8.ToArray(), bytes[1..]), "a comment");
            case 4:
                return (Concat(bytes[..^1], ",}"u8.ToArray()), "a trailing comma");
            case 5:
                var literal = Pick("NaN", "Infinity", "-Infinity", "undefined", "'single'", "+1", "01", ".5", "1.", "-", "0x10", "1e", "tru", "nul", "\"unterminated");
                var at = _random.Next(body.Members.Count);
                body.Members[at] = (body.Members[at].Key, Raw(literal));
                return (body.ToBytes(), $"literal {literal}");
            default:
                return (Concat([(byte)'{'], Hex(Pick(InvalidUtf8)), bytes[1..]), "invalid UTF-8 outside any string");
        }
    }

    private (byte[], string) NotAnObject()
    {
        var body = Pick("", " ", "\n\t ", "null", "[]", "[{}]", "\"text\"", "5", "true", "{", "}", "[", "\u0000", "{}{}");
        return (Encoding.UTF8.GetBytes(body), $"body '{body}'");
    }

    private string? WrongType(JObj body, string name, params string[] values)
    {
        var value = Pick(values);
        var at = body.Members.FindIndex(m => m.Key.Text == name);
        if (at < 0)
        {
            body.Members.Add((Key(name), Raw(value)));
        }
        else
        {
            body.Members[at] = (body.Members[at].Key, Raw(value));
        }

        return $"{name} = {value}";
    }

    private static string? Remove(JObj body, string name) =>
        body.Members.RemoveAll(m => m.Key.Text == name) > 0 ? $"no {name}" : null;

    private string? Oversized(JObj body, string name, int min, int max)
    {
        var length = _random.Next(min, max);
        var at = body.Members.FindIndex(m => m.Key.Text == name);
        var value = Str(new string(Pick('a', 'ü', '0'), length));
        if (at < 0)
        {
            body.Members.Add((Key(name), value));
        }
        else
        {
            body.Members[at] = (body.Members[at].Key, value);
        }

        return $"{name} of {length} characters";
    }

    private string? OversizedContent(JObj body)
    {
        var length = _random.Next(70_000, 900_000);
        var at = body.Members.FindIndex(m => m.Key.Text == "content");
        if (at < 0)
        {
            return null;
        }

        body.Members[at] = (body.Members[at].Key, Obj(("text", Str(new string('c', length)))));
        return $"content of {length} bytes";
    }

    private string? ControlCharacter(JObj body, string name)
    {
        var at = body.Members.FindIndex(m => m.Key.Text == name);
        if (at < 0 || body.Members[at].Value is not JStr value)
        {
            return null;
        }

        var control = Pick(@"\t", @"\n", @"\r", @"\u0001", @"\u001b", @"\u007f", @"\u0085", @"\u009f");
        value.Raw.InsertRange(InsertionPoint(value), Encoding.ASCII.GetBytes(control));
        return $"control character {control} in {name}";
    }

    /// <summary>
    /// A place between two characters of the string: never inside an escape or a UTF-8 sequence, where an insertion
    /// could turn the escape into text (<c>\</c> + <c>\u0000</c> + <c>u0001</c> reads as a backslash and plain letters).
    /// </summary>
    private int InsertionPoint(JStr target)
    {
        var raw = target.Raw;
        var points = new List<int> { 0 };
        for (var i = 0; i < raw.Count;)
        {
            i += raw[i] switch
            {
                (byte)'\\' => i + 1 < raw.Count && raw[i + 1] == 'u' ? 6 : 2,
                >= 0xF0 => 4,
                >= 0xE0 => 3,
                >= 0xC0 => 2,
                _ => 1,
            };
            points.Add(Math.Min(i, raw.Count));
        }

        return points[_random.Next(points.Count)];
    }

    private JObj SomeMetadata() => Obj(
        ("source", Str(Pick("web", "ios", "batch"))),
        ("n", Raw(_random.Next(1000).ToString(CultureInfo.InvariantCulture))),
        ("tags", Arr(Str("a"), Str("b"))),
        ("nested", Obj(("k", Str("v")), ("list", Arr(Obj(("deep", Str("x"))))))));

    private static JObj? FindObject(JObj body, string name) => FindMember(body, name) as JObj;

    private static JValue? FindMember(JObj body, string name) => body.Members.FirstOrDefault(m => m.Key.Text == name).Value;

    private int Next() => Interlocked.Increment(ref _serial);

    private T Pick<T>(params T[] items) => items[_random.Next(items.Length)];

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static JStr Key(string name) => Str(name);

    private static JStr Str(string text) => new([.. Encoding.UTF8.GetBytes(text)]);

    private static JRaw Raw(string text) => new(text);

    private static JArr Arr(params JValue[] items) => new([.. items]);

    private static JObj Obj(params (string Name, JValue Value)[] members) => new([.. members.Select(m => (Key(m.Name), m.Value))]);

    /// <summary>A JSON value kept as the bytes it will be written as, so that any byte can be put anywhere.</summary>
    private abstract class JValue
    {
        public abstract void WriteTo(List<byte> output);
    }

    /// <summary>A string (or property name): the bytes between the quotes, escapes included, written as they are.</summary>
    private sealed class JStr(List<byte> raw) : JValue
    {
        public List<byte> Raw { get; } = raw;

        public string Text => Encoding.UTF8.GetString(Raw.ToArray());

        public override void WriteTo(List<byte> output)
        {
            output.Add((byte)'"');
            output.AddRange(Raw);
            output.Add((byte)'"');
        }
    }

    private sealed class JRaw(string text) : JValue
    {
        public override void WriteTo(List<byte> output) => output.AddRange(Encoding.UTF8.GetBytes(text));
    }

    private sealed class JArr(List<JValue> items) : JValue
    {
        public List<JValue> Items { get; } = items;

        public override void WriteTo(List<byte> output)
        {
            output.Add((byte)'[');
            for (var i = 0; i < Items.Count; i++)
            {
                if (i > 0)
                {
                    output.Add((byte)',');
                }

                Items[i].WriteTo(output);
            }

            output.Add((byte)']');
        }
    }

    private sealed class JObj(List<(JStr Key, JValue Value)> members) : JValue
    {
        public List<(JStr Key, JValue Value)> Members { get; } = members;

        public byte[] ToBytes()
        {
            var output = new List<byte>();
            WriteTo(output);
            return [.. output];
        }

        public override void WriteTo(List<byte> output)
        {
            output.Add((byte)'{');
            for (var i = 0; i < Members.Count; i++)
            {
                if (i > 0)
                {
                    output.Add((byte)',');
                }

                Members[i].Key.WriteTo(output);
                output.Add((byte)':');
                Members[i].Value.WriteTo(output);
            }

            output.Add((byte)'}');
        }
    }
}

/// <summary>What the generated requests aim at: existing participants and an active session with an empty log.</summary>
public sealed record HostileTargets(string Alice, string Bob, string Agent, string Stranger, string SessionId);
