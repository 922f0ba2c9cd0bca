using Sessions.Abstractions;
using Sessions.Gateway.Problems;

namespace Sessions.Gateway.Tests.Problems;

/// <summary>The fixed mapping from error codes to HTTP statuses: clients depend on it, so it is pinned here.</summary>
public sealed class ApiProblemsTests
{
    [Theory]
    [InlineData(SessionErrors.SessionNotFound, 404)]
    [InlineData(SessionErrors.ParticipantNotFound, 422)]
    [InlineData(SessionErrors.SessionAlreadyExists, 409)]
    [InlineData(SessionErrors.ParticipantAlreadyExists, 409)]
    [InlineData(SessionErrors.SenderNotParticipant, 403)]
    [InlineData(SessionErrors.ParticipantNotInSession, 403)]
    [InlineData(SessionErrors.SeqConflict, 409)]
    [InlineData(SessionErrors.InvalidTransition, 409)]
    [InlineData(SessionErrors.SessionNotWritable, 409)]
    [InlineData(SessionErrors.Validation, 400)]
    [InlineData(SessionErrors.ContentTooLarge, 413)]
    [InlineData(SessionErrors.SessionContended, 503)]
    [InlineData(SessionErrors.AgentNotFound, 404)]
    [InlineData(SessionErrors.AgentExists, 409)]
    [InlineData(SessionErrors.ParticipantNotAgent, 409)]
    [InlineData(SessionErrors.DeliveryNotFound, 404)]
    public void A_grain_error_code_maps_to_its_status_and_type(string code, int status)
    {
        var exception = new SessionException(code, "What went wrong.");

        var problem = ApiProblems.FromGrain(exception).ProblemDetails;

        Assert.True(ApiProblems.IsMapped(exception));
        Assert.Equal(status, problem.Status);
        Assert.Equal($"urn:sessions:problem:{code}", problem.Type);
        Assert.Equal("What went wrong.", problem.Detail);
        Assert.False(string.IsNullOrWhiteSpace(problem.Title));
    }

    [Theory]
    [InlineData("something-new")]
    [InlineData("")]
    public void An_unknown_grain_error_code_is_not_mapped_so_it_becomes_a_500(string code)
    {
        Assert.False(ApiProblems.IsMapped(new SessionException(code, "Internal detail.")));
    }

    [Fact]
    public void A_seq_conflict_carries_current_seq_as_a_number()
    {
        var problem = ApiProblems.FromGrain(SessionErrors.Conflict(currentSeq: 42, expectedSeq: 40)).ProblemDetails;

        Assert.Equal(42L, problem.Extensions[SessionErrors.CurrentSeqDetail]);
    }

    [Fact]
    public void A_grain_validation_error_names_its_field_in_the_errors_map()
    {
        var problem = ApiProblems.FromGrain(SessionErrors.Invalid("kind", "kind is bad.")).ProblemDetails;

        var errors = Assert.IsType<Dictionary<string, string[]>>(problem.Extensions[ApiProblems.ErrorsExtension]);
        Assert.Equal(["kind is bad."], errors["kind"]);
        Assert.False(problem.Extensions.ContainsKey("field"));
    }
}
