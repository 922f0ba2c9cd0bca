using System.Buffers;
using System.Text.Json;
using Sessions.Actors;

namespace Sessions.Storage.Membership;

/// <summary>
/// <see cref="MembershipEntry.Suspicions"/> in the <c>silo_membership.suspicions</c> jsonb column:
/// <c>[{"suspecter": "host:port@generation", "at": "2025-01-02T03:04:05.1234567+00:00"}, ...]</c>, times in UTC.
/// </summary>
internal static class SuspicionsColumn
{
    private const string Suspecter = "suspecter";
    private const string At = "at";

    public static string ToJson(IReadOnlyList<SiloSuspicion> suspicions)
    {
        ArgumentNullException.ThrowIfNull(suspicions);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var suspicion in suspicions)
            {
                writer.WriteStartObject();
                writer.WriteString(Suspecter, suspicion.Suspecter.ToString());
                writer.WriteString(At, suspicion.At.ToUniversalTime());
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static IReadOnlyList<SiloSuspicion> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var suspicions = new List<SiloSuspicion>(document.RootElement.GetArrayLength());
        foreach (var element in document.RootElement.EnumerateArray())
        {
            suspicions.Add(new SiloSuspicion(
                SiloAddress.Parse(element.GetProperty(Suspecter).GetString()!),
                element.GetProperty(At).GetDateTimeOffset()));
        }

        return suspicions;
    }
}
