namespace Sessions.Grains.Tests.ChatSessions;

/// <summary>A participant's sessions through the stateless session directory: newest first, filtered by status, paged; and its rules.</summary>
public sealed class SessionDirectoryGrainTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private ISessionDirectoryGrain Directory => fixture.Silo.Grains.GetGrain<ISessionDirectoryGrain>(0);

    [Fact]
    public async Task A_participants_sessions_are_listed_newest_first_a_page_at_a_time_and_by_status()
    {
        var alice = await fixture.Silo.NewParticipantAsync("alice");
        var bob = await fixture.Silo.NewParticipantAsync("bob");
        var carol = await fixture.Silo.NewParticipantAsync("carol");
        var first = await fixture.Silo.NewSessionAsync(alice, bob);
        var second = await fixture.Silo.NewSessionAsync(carol, alice);
        var third = await fixture.Silo.NewSessionAsync(alice, carol);
        var elsewhere = await fixture.Silo.NewSessionAsync(bob, carol);
        await fixture.Silo.Session(second.Id).ChangeStatusAsync(SessionStatus.Closed);

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Directory.ListByParticipantAsync(new SessionListQuery(alice, null, cursor, 2));
            seen.AddRange(page.Sessions.Select(s => s.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        var closed = await Directory.ListByParticipantAsync(new SessionListQuery(alice, SessionStatus.Closed));
        Assert.Equal([third.Id, second.Id, first.Id], seen);
        Assert.DoesNotContain(elsewhere.Id, seen);
        Assert.Equal([second.Id], closed.Sessions.Select(s => s.Id));
        Assert.Empty((await Directory.ListByParticipantAsync(new SessionListQuery($"nobody-{Guid.NewGuid():N}"))).Sessions);
    }

    public static TheoryData<string?> BadParticipantIds => new() { null, "", "a\u0000b", "a\nb", "\u001b[31m", "a\u007f", "a\u0085" };

    [Theory]
    [MemberData(nameof(BadParticipantIds))]
    public async Task A_participant_id_that_is_missing_empty_or_holds_a_control_character_is_a_validation_error_naming_it(string? participantId)
    {
        var error = await Assert.ThrowsAsync<SessionException>(() => Directory.ListByParticipantAsync(new SessionListQuery(participantId!)));

        Assert.Equal(SessionErrors.Validation, error.Code);
        Assert.Equal(["participant_id"], error.Fields.Keys);
    }

    [Fact]
    public async Task Every_broken_rule_is_named_at_once()
    {
        var error = await Assert.ThrowsAsync<SessionException>(() =>
            Directory.ListByParticipantAsync(new SessionListQuery("", (SessionStatus)99, null, fixture.Limits.MaxPageSize + 1)));

        Assert.Equal(["limit", "participant_id", "status"], error.Fields.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("%%%")]
    [InlineData("SWFsaWNl")] // a cursor of the participant listing (tag I)
    [InlineData("VAjdAAAAAAAAYQBi")] // tag T, and an id with a NUL
    public async Task A_cursor_this_listing_did_not_issue_is_a_validation_error_on_cursor(string cursor)
    {
        var error = await Assert.ThrowsAsync<SessionException>(() => Directory.ListByParticipantAsync(new SessionListQuery("a", null, cursor)));

        Assert.Equal(["cursor"], error.Fields.Keys);
    }
}
