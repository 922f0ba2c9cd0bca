namespace Sessions.Gateway.Tests.Authorization;

/// <summary>A cell's answer: its exact status and, for a refusal, its problem code.</summary>
public sealed record Expect(int Status, string? Code = null)
{
    public static readonly Expect Ok = new(200);
    public static readonly Expect Created = new(201);
    public static readonly Expect Accepted = new(202);
    public static readonly Expect NoContent = new(204);
    public static readonly Expect AdminRequired = new(403, "admin-required");
    public static readonly Expect NotCaller = new(403, "not-caller");
    public static readonly Expect SessionNotFound = new(404, "session-not-found");
    public static readonly Expect ParticipantNotFound = new(404, "participant-not-found");

    public static Expect Problem(int status, string code) => new(status, code);

    public override string ToString() => Code is null ? $"{Status}" : $"{Status} {Code}";
}
