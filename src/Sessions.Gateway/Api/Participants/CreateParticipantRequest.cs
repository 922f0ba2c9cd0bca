using System.Text.Json;
using System.Text.Json.Serialization;
using Sessions.Abstractions;
using Sessions.Gateway.Requests;

namespace Sessions.Gateway.Api.Participants;

/// <summary>The body of <c>POST /api/participants</c>. Every member is nullable so that absence is reported, not defaulted.</summary>
public sealed class CreateParticipantRequest
{
    /// <summary>The participant's id; generated when absent.</summary>
    public string? Id { get; init; }

    [JsonConverter(typeof(StrictEnumConverter<ParticipantKind>))]
    public ParticipantKind? Kind { get; init; }

    public string? DisplayName { get; init; }

    /// <summary>A JSON object, or null.</summary>
    public JsonElement? Metadata { get; init; }
}
