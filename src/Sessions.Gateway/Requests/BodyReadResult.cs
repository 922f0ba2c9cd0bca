using Microsoft.AspNetCore.Http.HttpResults;

namespace Sessions.Gateway.Requests;

/// <summary>The DTO read from a request body, or the problem that explains why there is none.</summary>
public readonly record struct BodyReadResult<T>(T? Value, ProblemHttpResult? Problem)
    where T : class;
