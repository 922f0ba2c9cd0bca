using System.Text.Json.Serialization;

namespace Sessions.Actors;

/// <summary>
/// The silo-to-silo protocol, over HTTP/2 cleartext between silo endpoints:
/// <code>
/// POST /_silo/call    headers: grain type, key (URL-escaped), method, hop count, the target's generation
///                     body: the arguments (the call's JSON array, as serialized by the caller)
///   200 + outcome "result" and the result's JSON | outcome "empty" | outcome "error" and a GrainError as JSON
/// GET  /_silo/ping    200 + the silo's generation
/// </code>
/// The target generation lets a silo restarted on the same host and port refuse calls meant for its dead
/// predecessor (answered as silo-unavailable: never ran, safe to route again).
/// </summary>
internal static class SiloWire
{
    public const string CallPath = "/_silo/call";
    public const string PingPath = "/_silo/ping";
    public const string GrainTypeHeader = "x-grain-type";
    public const string GrainKeyHeader = "x-grain-key";
    public const string MethodHeader = "x-grain-method";
    public const string HopsHeader = "x-grain-hops";
    public const string GenerationHeader = "x-silo-generation";
    public const string OutcomeHeader = "x-grain-outcome";
    public const string ResultOutcome = "result";
    public const string EmptyOutcome = "empty";
    public const string ErrorOutcome = "error";
}

[JsonSerializable(typeof(GrainError))]
[JsonSerializable(typeof(ObserverReference))]
internal sealed partial class ActorsJsonContext : JsonSerializerContext;
