using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Sessions.Gateway.Requests;

/// <summary>
/// Text from a query string or a body turned into the contract's values without judging them: the grain judges, for
/// every caller alike, and so names a bad value together with the command's other broken rules. Text that cannot be
/// read as the value becomes one the grain refuses by name: a name the contract does not know becomes an enum value it
/// does not define, and a limit that is not a plain number becomes 0 (no page has 0 rows).
/// </summary>
internal static class ContractValues
{
    /// <summary>Null when absent; else the value named as the contract writes it in JSON, or an undefined value.</summary>
    public static TEnum? Enum<TEnum>(string? name)
        where TEnum : struct, Enum =>
        name is null ? null : EnumNames<TEnum>.ByName.TryGetValue(name, out var value) ? value : EnumNames<TEnum>.Undefined;

    /// <summary>
    /// Null when absent; else the number when it is plain digits that fit, or 0. Digits are checked first because
    /// <see cref="int.TryParse(string, NumberStyles, IFormatProvider, out int)"/> ignores trailing NULs (<c>5%00</c>).
    /// </summary>
    public static int? PageLimit(string? raw) =>
        raw is null ? null
        : raw.Length > 0 && !raw.AsSpan().ContainsAnyExceptInRange('0', '9') && int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit
        : 0;

    private static class EnumNames<TEnum>
        where TEnum : struct, Enum
    {
        // The names the contract's JSON converters write ([JsonStringEnumMemberName]), so reading and writing agree.
        public static readonly Dictionary<string, TEnum> ByName = typeof(TEnum)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .ToDictionary(
                field => field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? field.Name,
                field => (TEnum)field.GetValue(null)!,
                StringComparer.Ordinal);

        public static readonly TEnum Undefined = (TEnum)System.Enum.ToObject(typeof(TEnum), -1);
    }
}
