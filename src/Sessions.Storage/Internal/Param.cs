using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Sessions.Storage.Internal;

/// <summary>Positional parameters with explicit types, so prepared statements keep one plan whatever the values.</summary>
internal static class Param
{
    public static NpgsqlParameter Text(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter TextArray(string[] values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = values };

    public static NpgsqlParameter Jsonb(JsonElement? value, string parameterName) =>
        new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = value is { } json ? JsonColumn.ToText(json, parameterName) : DBNull.Value };

    public static NpgsqlParameter Bigint(long value) => new NpgsqlParameter<long> { TypedValue = value };

    public static NpgsqlParameter Integer(int value) => new NpgsqlParameter<int> { TypedValue = value };

    public static NpgsqlParameter NullableInteger(int? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Bytea(byte[] value) => new NpgsqlParameter<byte[]> { NpgsqlDbType = NpgsqlDbType.Bytea, TypedValue = value };

    public static NpgsqlParameter Uuid(Guid value) => new NpgsqlParameter<Guid> { TypedValue = value };

    public static NpgsqlParameter TimestampTz(DateTimeOffset? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = value is { } at ? at.ToUniversalTime() : DBNull.Value };
}
