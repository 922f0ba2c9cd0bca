using Microsoft.AspNetCore.Http.HttpResults;

namespace Sessions.Gateway.Requests;

/// <summary>What was read from a request body (a DTO, a JSON object), or the problem that explains why there is none.</summary>
public readonly record struct BodyReadResult<T>(T? Value, ProblemHttpResult? Problem);
