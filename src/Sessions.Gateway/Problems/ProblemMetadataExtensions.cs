using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Sessions.Gateway.Problems;

/// <summary>OpenAPI metadata shared by every route that reads a JSON body.</summary>
internal static class ProblemMetadataExtensions
{
    /// <summary>Declares the problems any JSON body can earn: 400 (invalid JSON, validation), 413 and 415.</summary>
    public static RouteHandlerBuilder ProducesRequestProblems(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
}
