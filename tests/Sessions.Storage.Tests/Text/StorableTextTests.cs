using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Sessions.Storage.Tests.Text;

/// <summary>The text rule itself, shared by the gateway's body check and the grain's validation.</summary>
public sealed class StorableTextTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("plain", true)]
    [InlineData("tab\tnewline\n\u0001\u007f\u0085", true)]
    [InlineData("\0", false)]
    [InlineData("a\0b", false)]
    public void Storable_strings_have_no_nul(string? value, bool storable) =>
        Assert.Equal(storable, StorableText.IsStorable(value));

    [Fact]
    public void Storable_strings_have_no_unpaired_surrogate()
    {
        // Not theory data: the test runner's serialization would turn lone surrogates into U+FFFD on the way.
        Assert.All(["lone \ud800", "\udc00 lone", "reversed \ude00\ud83d", "\ud83d\ude00\ud83d", "\ud800\ud800"], s => Assert.False(StorableText.IsStorable(s)));
        Assert.All(["\ud83d\ude00", "a\ud83d\ude00b\ud83d\ude00"], s => Assert.True(StorableText.IsStorable(s)));
    }

    [Theory]
    [InlineData("id-1", false)]
    [InlineData("ünïcödé 😀", false)]
    [InlineData("a\tb", true)]
    [InlineData("\0", true)]
    [InlineData("\u001f", true)]
    [InlineData("\u007f", true)]
    [InlineData("\u0085", true)]
    [InlineData("\u009f", true)]
    [InlineData("\u00a0", false)]
    public void Control_characters_are_c0_del_and_c1(string value, bool control) =>
        Assert.Equal(control, StorableText.HasControlCharacter(value));

    [Theory]
    [InlineData("0", true)]
    [InlineData("-0", true)]
    [InlineData("1.5", true)]
    [InlineData("1e308", true)]
    [InlineData("1.7976931348623157e308", true)]
    [InlineData("4.9406564584124654e-324", true)]
    [InlineData("1e399", true)] // 400 digits
    [InlineData("1e400", false)] // 401 digits
    [InlineData("1e-400", true)] // 400 decimals
    [InlineData("1e-401", false)]
    [InlineData("0.001e402", true)] // 1 followed by 399 zeros
    [InlineData("0.001e403", false)]
    [InlineData("123.456e-397", true)] // 400 decimals
    [InlineData("123.456e-398", false)]
    [InlineData("0e-400", true)]
    [InlineData("0e-401", false)] // zero, but written with 401 decimals
    [InlineData("0e1000000", true)] // zero, with the largest exponent taken
    [InlineData("0e1000001", false)]
    [InlineData("0e1073741823", false)] // PostgreSQL refuses this exponent even for zero
    [InlineData("-0.0e2000000000", false)]
    [InlineData("0e999999999999999999999", false)]
    [InlineData("1E+99999999999999999999", false)]
    [InlineData("1e-99999999999999999999", false)]
    public void A_number_is_storable_within_400_digits_before_and_after_the_point(string number, bool storable) =>
        Assert.Equal(storable, StorableText.IsStorableNumber(Encoding.ASCII.GetBytes(number)));

    [Fact]
    public void Long_plain_numbers_count_their_digits()
    {
        Assert.True(StorableText.IsStorableNumber(Encoding.ASCII.GetBytes(new string('9', 400))));
        Assert.False(StorableText.IsStorableNumber(Encoding.ASCII.GetBytes(new string('9', 401))));
        Assert.True(StorableText.IsStorableNumber(Encoding.ASCII.GetBytes("00" + new string('9', 399) + ".5")));
        Assert.True(StorableText.IsStorableNumber(Encoding.ASCII.GetBytes("0." + new string('0', 399) + "1")));
        Assert.False(StorableText.IsStorableNumber(Encoding.ASCII.GetBytes("0." + new string('0', 400) + "1")));
    }

    [Theory]
    [InlineData("""{"a":"b","c":[1,2.5,{"d":null}],"\t":"\n\u0001\ud83d\ude00\\\""}""", JsonTextProblem.None)]
    [InlineData("""{"a":"\u0000"}""", JsonTextProblem.Nul)]
    [InlineData("""{"\u0000":1}""", JsonTextProblem.Nul)]
    [InlineData("""{"a":"\\u0000"}""", JsonTextProblem.None)] // an escaped backslash, then plain text
    [InlineData("""{"a":"\\\u0000"}""", JsonTextProblem.Nul)]
    [InlineData("""{"a":"\ud800"}""", JsonTextProblem.UnpairedSurrogate)]
    [InlineData("""{"a":"\ud800\ud800"}""", JsonTextProblem.UnpairedSurrogate)]
    [InlineData("""{"a":"\ud800\u0041"}""", JsonTextProblem.UnpairedSurrogate)]
    [InlineData("""{"a":"x\udfff"}""", JsonTextProblem.UnpairedSurrogate)]
    [InlineData("""{"a":[1e400]}""", JsonTextProblem.NumberOutOfRange)]
    public void A_json_value_is_checked_in_every_string_property_name_and_number(string json, JsonTextProblem expected)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(expected, StorableText.Check(document.RootElement));
    }

    /// <summary>
    /// The screen the gateway runs instead of reading a body's tokens must pass exactly the texts whose strings and
    /// property names the token-by-token check passes (numbers are not its business).
    /// </summary>
    [Theory]
    [InlineData("""{"a":"b","c":[1,2.5,{"d":null}],"\t":"\n\u0001\ud83d\ude00\\\""}""", true)]
    [InlineData("""{"a":"\u0000"}""", false)]
    [InlineData("""{"\u0000":1}""", false)]
    [InlineData("""{"a":"\\u0000"}""", true)]
    [InlineData("""{"a":"\\\u0000"}""", false)]
    [InlineData("""{"a":"\\","b":"\u0000"}""", false)]
    [InlineData("""{"a":"\ud800"}""", false)]
    [InlineData("""{"a":"\ud800\u0041"}""", false)]
    [InlineData("""{"a":"x\udfff"}""", false)]
    [InlineData("""{"a":"\uD83D\uDE00","b":"\u00e9\/\b"}""", true)]
    [InlineData("""{"a":[1e400]}""", true)]
    public void The_screen_passes_what_the_token_check_passes_in_strings(string json, bool clean)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        Assert.Equal(clean, StorableText.HasOnlyStorableStrings(bytes));
        Assert.Equal(clean, ProblemsOf(new ReadOnlySequence<byte>(bytes)).All(p => p == JsonTextProblem.NumberOutOfRange));
    }

    [Fact]
    public void The_screen_finds_bytes_that_are_not_utf8_anywhere()
    {
        foreach (var bad in new byte[][] { [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80] })
        {
            Assert.False(StorableText.HasOnlyStorableStrings([.. """{"a":"x"""u8, .. bad, .. "\"}"u8]));
            Assert.False(StorableText.HasOnlyStorableStrings([.. """{"x"""u8, .. bad, .. "\":1}"u8]));
        }

        Assert.True(StorableText.HasOnlyStorableStrings("""{"ok":"ü€😀"}"""u8));
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_found_in_values_and_property_names()
    {
        foreach (var bad in new byte[][] { [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80] })
        {
            using var inValue = JsonDocument.Parse((byte[])[.. """{"a":"x"""u8, .. bad, .. "\"}"u8]);
            using var inName = JsonDocument.Parse((byte[])[.. """{"x"""u8, .. bad, .. "\":1}"u8]);

            Assert.Equal(JsonTextProblem.InvalidUtf8, StorableText.Check(inValue.RootElement));
            Assert.Equal(JsonTextProblem.InvalidUtf8, StorableText.Check(inName.RootElement));
        }
    }

    [Fact]
    public void A_value_split_across_buffer_segments_is_checked_as_one_piece()
    {
        // The gateway reads bodies as segmented sequences: a split may fall inside an escape or a UTF-8 character.
        var json = Encoding.UTF8.GetBytes("""{"k\u00e9y":"a\ud83d\ude00b\u0000","n":123456e395,"ok":"ü€😀"}""");
        for (var split = 1; split < json.Length; split++)
        {
            var problems = ProblemsOf(Segmented(json, split));

            Assert.Equal([JsonTextProblem.Nul, JsonTextProblem.NumberOutOfRange], problems);
        }

        var good = Encoding.UTF8.GetBytes("""{"ok":"ü€😀\ud83d\ude00","n":1e300}""");
        for (var split = 1; split < good.Length; split++)
        {
            Assert.Empty(ProblemsOf(Segmented(good, split)));
        }
    }

    private static List<JsonTextProblem> ProblemsOf(ReadOnlySequence<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var problems = new List<JsonTextProblem>();
        while (reader.Read())
        {
            if (StorableText.CheckToken(ref reader) is not JsonTextProblem.None and var problem)
            {
                problems.Add(problem);
            }
        }

        return problems;
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int split)
    {
        var first = new Segment(bytes.AsMemory(0, split));
        var last = first.Append(bytes.AsMemory(split));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
