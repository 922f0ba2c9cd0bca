using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Sessions.Abstractions;

namespace Sessions.Gateway.Problems;

/// <summary>
/// Builds the RFC 9457 problem responses of the API: <c>type</c> is <c>urn:sessions:problem:{code}</c>, the status and
/// title follow from the code (<see cref="ProblemCatalog"/>), and facts a client can act on travel as extensions.
/// </summary>
public static class ApiProblems
{
    /// <summary>The extension that maps each invalid field to its messages.</summary>
    public const string ErrorsExtension = "errors";

    private static readonly HashSet<string> NumericDetails = new(StringComparer.Ordinal)
    {
        SessionErrors.CurrentSeqDetail,
        "limit_bytes",
        "next_index",
    };

    public static ProblemHttpResult Of(string code, string detail, IDictionary<string, object?>? extensions = null, int? status = null) =>
        TypedResults.Problem(Details(code, detail, extensions, status));

    public static ProblemDetails Details(string code, string detail, IDictionary<string, object?>? extensions = null, int? status = null)
    {
        var problem = new ProblemDetails
        {
            Type = ProblemCodes.TypeOf(code),
            Title = ProblemCatalog.TitleOf(code),
            Status = status ?? ProblemCatalog.StatusOf(code),
            Detail = detail,
        };
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                problem.Extensions[key] = value;
            }
        }

        return problem;
    }

    public static ProblemHttpResult Validation(ValidationErrors errors) =>
        Of(SessionErrors.Validation, errors.Summary(), new Dictionary<string, object?> { [ErrorsExtension] = errors.ToDictionary() });

    public static ProblemHttpResult Validation(string field, string message) => Validation(new ValidationErrors().Add(field, message));

    public static ProblemHttpResult InvalidJson(string detail) => Of(ProblemCodes.InvalidJson, detail);

    /// <summary>The session a route's path names does not exist (or its id breaks the id rule, so none can).</summary>
    public static ProblemHttpResult SessionNotFound(string id) => Of(SessionErrors.SessionNotFound, $"Session '{id}' does not exist.");

    /// <summary>
    /// The participant a route's path names does not exist. It is the resource asked for, not a reference in a body
    /// (which the catalog answers with a 422): a 404, without the <c>participant_id</c> the grain's error carries (the
    /// path already names it).
    /// </summary>
    public static ProblemHttpResult ParticipantNotFound(string id) =>
        Of(SessionErrors.ParticipantNotFound, $"Participant '{id}' does not exist.", status: StatusCodes.Status404NotFound);

    public static ProblemHttpResult PayloadTooLarge(long limitBytes) => Of(
        ProblemCodes.PayloadTooLarge,
        $"The request body is larger than {limitBytes} bytes.",
        new Dictionary<string, object?> { ["limit_bytes"] = limitBytes });

    public static ProblemHttpResult UnsupportedMediaType(string? contentType) => Of(
        ProblemCodes.UnsupportedMediaType,
        contentType is null
            ? "The request has no Content-Type; send application/json."
            : $"Content-Type '{contentType}' is not accepted; send application/json (UTF-8).");

    /// <summary>True for the errors a grain raises on purpose; anything else is a fault and becomes a 500.</summary>
    public static bool IsMapped(SessionException exception) => ProblemCatalog.IsKnown(exception.Code);

    /// <summary>
    /// The problem for a domain error. Its details become extensions: a validation error's fields become the
    /// <c>errors</c> map, numeric facts such as <c>current_seq</c> stay numbers, the rest are strings.
    /// </summary>
    public static ProblemHttpResult FromGrain(SessionException exception, int? status = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (exception.Code == SessionErrors.Validation && exception.Fields.Count > 0)
        {
            extensions[ErrorsExtension] = exception.Fields;
        }

        foreach (var (key, value) in exception.Details)
        {
            if (key == SessionErrors.FieldDetail && exception.Code == SessionErrors.Validation)
            {
                extensions.TryAdd(ErrorsExtension, new Dictionary<string, string[]> { [value] = [exception.Message] });
            }
            else if (NumericDetails.Contains(key) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            {
                extensions[key] = number;
            }
            else
            {
                extensions[key] = value;
            }
        }

        return Of(exception.Code, exception.Message, extensions, status);
    }
}
