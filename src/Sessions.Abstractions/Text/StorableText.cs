using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace Sessions.Abstractions;

/// <summary>
/// The rule for what text the service accepts, the same for HTTP callers and cluster clients. It exists because
/// PostgreSQL refuses some text that .NET and JSON accept, and a refusal there is an error after the fact, not a 4xx.
/// <list type="bullet">
/// <item>NUL (U+0000) is never storable: a <c>text</c> column refuses it (22021) and <c>jsonb</c> refuses the
/// escape <c>\u0000</c> (22P05), in values and in property names alike. Refused everywhere.</item>
/// <item>Unpaired UTF-16 surrogates are not text: a JSON escape such as <c>\ud800</c> without its other half cannot
/// be transcoded, and <c>jsonb</c> refuses it. Refused everywhere; so are bytes that are not UTF-8.</item>
/// <item>Every other character is fine in free text (display names, and content and metadata values and property
/// names): tab, newline and the other control characters are stored as JSON escapes and read back exactly.</item>
/// <item>Identifiers and tokens (client_message_id, task_id, participant ids in a query) take no control character
/// at all (<see cref="char.IsControl(char)"/>: U+0000–U+001F and U+007F–U+009F): none is ever meaningful in an id,
/// and a newline or escape sequence in one would end up in logs and URLs. Ids and kinds have stricter patterns.</item>
/// <item>A JSON number, written out in plain decimal as <c>jsonb</c> returns it (<c>1e3</c> comes back as
/// <c>1000</c>), may have at most <see cref="MaxNumberDigits"/> digits before the point and as many after it. That
/// holds every double (1.8e308 has 309 digits; 4.9e-324 needs 340 decimals), while PostgreSQL's <c>numeric</c> holds
/// at most 131072 and 16383 (more is an error, 22003) and would turn a five-byte <c>1e999</c> into a thousand bytes.
/// Its exponent may be at most <see cref="MaxExponent"/> either way, even on zero, which PostgreSQL refuses from
/// <c>0e1073741823</c> on.</item>
/// </list>
/// </summary>
public static class StorableText
{
    /// <summary>The most digits a JSON number may have before its decimal point, and after it, in plain decimal.</summary>
    public const int MaxNumberDigits = 400;

    /// <summary>The largest exponent a JSON number may have (even zero: <c>0e1073741823</c> is refused by PostgreSQL).</summary>
    public const long MaxExponent = 1_000_000;

    // Exponents are read up to this size: anything near it is far outside MaxExponent, and the sums stay in a long.
    private const long ExponentCap = 1_000_000_000;

    /// <summary>True unless <paramref name="value"/> holds a NUL or an unpaired surrogate (null is storable: it is no text).</summary>
    public static bool IsStorable(string? value)
    {
        if (value is null)
        {
            return true;
        }

        var span = value.AsSpan();
        if (span.Contains('\0'))
        {
            return false;
        }

        var surrogate = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        return surrogate < 0 || HasOnlyPairedSurrogates(span[surrogate..]);
    }

    /// <summary>True when <paramref name="value"/> holds a control character (NUL included).</summary>
    public static bool HasControlCharacter(string? value) =>
        value is not null && (value.AsSpan().IndexOfAnyInRange('\0', '\u001F') >= 0 || value.AsSpan().IndexOfAnyInRange('\u007F', '\u009F') >= 0);

    /// <summary>What makes the JSON value unstorable (the first thing found), or <see cref="JsonTextProblem.None"/>.</summary>
    /// <remarks>For values that did not come through the gateway's body check (cluster clients): one pass over the raw JSON.</remarks>
    public static JsonTextProblem Check(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            return JsonTextProblem.None;
        }

        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (!Utf8.IsValid(raw))
        {
            return JsonTextProblem.InvalidUtf8;
        }

        var reader = new Utf8JsonReader(raw);
        while (reader.Read())
        {
            var problem = CheckToken(ref reader, utf8Validated: true);
            if (problem != JsonTextProblem.None)
            {
                return problem;
            }
        }

        return JsonTextProblem.None;
    }

    /// <summary>
    /// A screen for well-formed JSON text, cheaper than <see cref="Check(JsonElement)"/> because it reads no tokens:
    /// true when the text holds only UTF-8, and no escaped NUL (<c>\u0000</c>) or escaped half of a surrogate pair in
    /// any string or property name. It takes two vectorized scans, UTF-8 validation and a search for backslashes (in
    /// well-formed JSON a backslash only ever starts an escape inside a string), and looks at escapes only where there
    /// are any. Numbers are not looked at. A caller that must explain a false answer reads the tokens then
    /// (<see cref="CheckToken"/>); clean text, the common case, is never read token by token.
    /// </summary>
    public static bool HasOnlyStorableStrings(ReadOnlySpan<byte> wellFormedJson) =>
        Utf8.IsValid(wellFormedJson)
        && (wellFormedJson.IndexOf((byte)'\\') < 0 || CheckEscapes(wellFormedJson) == JsonTextProblem.None);

    /// <summary>
    /// Checks the reader's current token: a string or property name for UTF-8, NUL and unpaired surrogates (its
    /// escapes are looked at only when it has any), a number for its size. Other tokens are always fine.
    /// </summary>
    public static JsonTextProblem CheckToken(ref Utf8JsonReader reader, bool utf8Validated = false)
    {
        var token = reader.TokenType;
        if (token is not (JsonTokenType.String or JsonTokenType.PropertyName or JsonTokenType.Number))
        {
            return JsonTextProblem.None;
        }

        if (!reader.HasValueSequence)
        {
            return CheckValue(token, reader.ValueSpan, reader.ValueIsEscaped, utf8Validated);
        }

        // A value split across buffer segments (rare: one per segment boundary at most) is checked as one piece.
        var length = checked((int)reader.ValueSequence.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            reader.ValueSequence.CopyTo(rented);
            return CheckValue(token, rented.AsSpan(0, length), reader.ValueIsEscaped, utf8Validated);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>True when the JSON number (valid JSON number syntax) fits <see cref="MaxNumberDigits"/>.</summary>
    public static bool IsStorableNumber(ReadOnlySpan<byte> number)
    {
        var i = 0;
        if (i < number.Length && number[i] == '-')
        {
            i++;
        }

        var integerStart = i;
        while (i < number.Length && char.IsAsciiDigit((char)number[i]))
        {
            i++;
        }

        var integer = number[integerStart..i];
        var fraction = ReadOnlySpan<byte>.Empty;
        if (i < number.Length && number[i] == '.')
        {
            var fractionStart = ++i;
            while (i < number.Length && char.IsAsciiDigit((char)number[i]))
            {
                i++;
            }

            fraction = number[fractionStart..i];
        }

        long exponent = 0;
        if (i < number.Length && (number[i] == 'e' || number[i] == 'E'))
        {
            i++;
            var negative = i < number.Length && number[i] == '-';
            if (i < number.Length && (number[i] == '-' || number[i] == '+'))
            {
                i++;
            }

            for (; i < number.Length && char.IsAsciiDigit((char)number[i]); i++)
            {
                exponent = Math.Min(exponent * 10 + (number[i] - '0'), ExponentCap);
            }

            exponent = negative ? -exponent : exponent;
        }

        // PostgreSQL refuses an exponent from 2^30 - 1 up even when the number is zero (0e1073741823); none near that
        // size means anything, so one past this bound is refused whatever the digits.
        if (Math.Abs(exponent) > MaxExponent)
        {
            return false;
        }

        // Plain decimal: the point moves right by the exponent; leading zeros are no digits before the point.
        var scale = Math.Max(0, fraction.Length - exponent);
        var leadingZeros = integer.IndexOfAnyExcept((byte)'0');
        if (leadingZeros < 0)
        {
            var inFraction = fraction.IndexOfAnyExcept((byte)'0');
            leadingZeros = inFraction < 0 ? integer.Length + fraction.Length : integer.Length + inFraction;
        }

        var isZero = leadingZeros == integer.Length + fraction.Length;
        var integerDigits = isZero ? 0 : Math.Max(0, integer.Length + exponent - leadingZeros);
        return integerDigits <= MaxNumberDigits && scale <= MaxNumberDigits;
    }

    private static JsonTextProblem CheckValue(JsonTokenType token, ReadOnlySpan<byte> raw, bool escaped, bool utf8Validated)
    {
        if (token == JsonTokenType.Number)
        {
            return IsStorableNumber(raw) ? JsonTextProblem.None : JsonTextProblem.NumberOutOfRange;
        }

        // The reader checks a string's syntax but not its UTF-8, and escapes only for their form (any \uXXXX passes).
        if (!utf8Validated && !Utf8.IsValid(raw))
        {
            return JsonTextProblem.InvalidUtf8;
        }

        return escaped ? CheckEscapes(raw) : JsonTextProblem.None;
    }

    /// <summary>The escapes of a raw JSON string (its bytes between the quotes): NUL or an unpaired surrogate.</summary>
    private static JsonTextProblem CheckEscapes(ReadOnlySpan<byte> raw)
    {
        var at = raw.IndexOf((byte)'\\');
        while (at >= 0)
        {
            if (at + 1 >= raw.Length)
            {
                return JsonTextProblem.InvalidUtf8;
            }

            var next = at + 2;
            if (raw[at + 1] == 'u')
            {
                if (!TryReadUnit(raw, at, out var unit))
                {
                    return JsonTextProblem.InvalidUtf8;
                }

                next = at + 6;
                if (unit == 0)
                {
                    return JsonTextProblem.Nul;
                }

                if (char.IsLowSurrogate(unit))
                {
                    return JsonTextProblem.UnpairedSurrogate;
                }

                if (char.IsHighSurrogate(unit))
                {
                    if (!TryReadUnit(raw, next, out var low) || !char.IsLowSurrogate(low))
                    {
                        return JsonTextProblem.UnpairedSurrogate;
                    }

                    next += 6;
                }
            }

            var rest = raw[next..].IndexOf((byte)'\\');
            at = rest < 0 ? -1 : next + rest;
        }

        return JsonTextProblem.None;
    }

    /// <summary>Reads the UTF-16 unit of a <c>\uXXXX</c> escape at <paramref name="at"/>.</summary>
    private static bool TryReadUnit(ReadOnlySpan<byte> raw, int at, out char unit)
    {
        unit = '\0';
        if (at + 6 > raw.Length || raw[at] != '\\' || raw[at + 1] != 'u')
        {
            return false;
        }

        var value = 0;
        foreach (var b in raw.Slice(at + 2, 4))
        {
            var digit = HexDigit(b);
            if (digit < 0)
            {
                return false;
            }

            value = value * 16 + digit;
        }

        unit = (char)value;
        return true;
    }

    private static int HexDigit(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    private static bool HasOnlyPairedSurrogates(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Why a JSON value cannot be stored (see <see cref="StorableText"/>).</summary>
public enum JsonTextProblem
{
    None,

    /// <summary>Bytes that are not UTF-8 (in a string or property name).</summary>
    InvalidUtf8,

    /// <summary>An escape of half a surrogate pair, such as <c>\ud800</c> alone.</summary>
    UnpairedSurrogate,

    /// <summary>The escape <c>\u0000</c>, in a string or a property name.</summary>
    Nul,

    /// <summary>A number beyond <see cref="StorableText.MaxNumberDigits"/> digits before or after its point, or <see cref="StorableText.MaxExponent"/>.</summary>
    NumberOutOfRange,
}
