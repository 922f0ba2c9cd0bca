using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Sessions.Gateway.Api.Agents;
using Sessions.Gateway.Api.Deliveries;
using Sessions.Gateway.Api.Inbox;
using Sessions.Gateway.Api.Messages;
using Sessions.Gateway.Api.Participants;
using Sessions.Gateway.Api.Presence;
using Sessions.Gateway.Api.Replies;
using Sessions.Gateway.Api.Sessions;
using Sessions.Gateway.Api.Tokens;

namespace Sessions.Gateway.Api;

/// <summary>
/// The HTTP API's own JSON contracts (request bodies, list envelopes, problems), source-generated like
/// <see cref="Sessions.Abstractions.SessionsJsonContext"/> and with the same snake_case names. Numbers are never read
/// from strings: <c>"expected_seq": "5"</c> is a type error.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(CreateParticipantRequest))]
[JsonSerializable(typeof(ParticipantPage))]
[JsonSerializable(typeof(CreateSessionRequest))]
[JsonSerializable(typeof(ChangeStatusRequest))]
[JsonSerializable(typeof(SessionPage))]
[JsonSerializable(typeof(AppendMessageRequest))]
[JsonSerializable(typeof(StartReplyRequest))]
[JsonSerializable(typeof(AppendChunkRequest))]
[JsonSerializable(typeof(FinishReplyRequest))]
[JsonSerializable(typeof(StopReplyRequest))]
[JsonSerializable(typeof(TypingRequest))]
[JsonSerializable(typeof(HeartbeatRequest))]
[JsonSerializable(typeof(TypingAccepted))]
[JsonSerializable(typeof(PresenceList))]
[JsonSerializable(typeof(MarkReadRequest))]
[JsonSerializable(typeof(AgentRequest))]
[JsonSerializable(typeof(AgentHistoryRequest))]
[JsonSerializable(typeof(RotateSecretRequest))]
[JsonSerializable(typeof(AgentResponse))]
[JsonSerializable(typeof(AgentList))]
[JsonSerializable(typeof(RotatedSecret))]
[JsonSerializable(typeof(DeliveryList))]
[JsonSerializable(typeof(DeliveryView))]
[JsonSerializable(typeof(RecoverDeliveriesRequest))]
[JsonSerializable(typeof(RecoveredDeliveries))]
[JsonSerializable(typeof(IssueTokenRequest))]
[JsonSerializable(typeof(IssuedToken))]
[JsonSerializable(typeof(TokenPage))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(int))]
public sealed partial class GatewayJsonContext : JsonSerializerContext;
