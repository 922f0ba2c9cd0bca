using System.Text.Json.Serialization;
using Sessions.Abstractions;
using Sessions.Gateway.Requests;

namespace Sessions.Gateway.Api.Sessions;

/// <summary>The body of <c>POST /api/sessions/{id}/status</c>.</summary>
public sealed class ChangeStatusRequest
{
    [JsonConverter(typeof(StrictEnumConverter<SessionStatus>))]
    public SessionStatus? Status { get; init; }
}
