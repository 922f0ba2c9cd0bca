using System.Text.Json;

namespace Sessions.Grains.Tests.Participants;

/// <summary>Creating and reading a participant through its grain, as a cluster client does: every rule of a new one, and its outcomes.</summary>
public sealed class ParticipantGrainTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private ChatSilo Silo => fixture.Silo;

    [Fact]
    public async Task Creating_stores_the_participant_and_getting_returns_the_stored_row()
    {
        var id = NewId("alice");
        var participant = Silo.Grains.GetGrain<IParticipantGrain>(id);

        var created = await participant.CreateAsync(new CreateParticipantCommand(ParticipantKind.Human, "Alice", Json("""{"team":"blue"}""")));

        Assert.Equal((id, ParticipantKind.Human, "Alice"), (created.Id, created.Kind, created.DisplayName));
        Assert.Equal("blue", created.Metadata!.Value.GetProperty("team").GetString());
        Assert.InRange(created.CreatedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        var fetched = await participant.GetAsync();
        Assert.Equal((created.Id, created.Kind, created.DisplayName, created.CreatedAt), (fetched.Id, fetched.Kind, fetched.DisplayName, fetched.CreatedAt));
        Assert.Equal(created.Metadata.Value.GetRawText(), fetched.Metadata!.Value.GetRawText());
        Assert.Equal("human", await Db.ScalarTextAsync(fixture.ConnectionString, "select kind from participants where id = $1", id));
    }

    [Fact]
    public async Task Json_null_metadata_is_stored_as_no_metadata()
    {
        var id = NewId("nullmeta");

        var created = await Silo.Grains.GetGrain<IParticipantGrain>(id).CreateAsync(new CreateParticipantCommand(ParticipantKind.Agent, null, Json("null")));

        Assert.Null(created.Metadata);
        Assert.Equal(1, await Db.CountAsync(fixture.ConnectionString, "select count(*) from participants where id = $1 and metadata is null", id));
    }

    [Fact]
    public async Task A_taken_id_is_participant_already_exists_and_keeps_the_first_participant()
    {
        var id = NewId("taken");
        var behindTheGrain = NewId("behind");
        await Silo.Grains.GetGrain<IParticipantGrain>(id).CreateAsync(new CreateParticipantCommand(ParticipantKind.Human));
        await Silo.Participants.TryInsertAsync(behindTheGrain, ParticipantKind.Agent, null, null, CancellationToken.None);

        var again = await Assert.ThrowsAsync<SessionException>(() =>
            Silo.Grains.GetGrain<IParticipantGrain>(id).CreateAsync(new CreateParticipantCommand(ParticipantKind.System)));
        var inStore = await Assert.ThrowsAsync<SessionException>(() =>
            Silo.Grains.GetGrain<IParticipantGrain>(behindTheGrain).CreateAsync(new CreateParticipantCommand(ParticipantKind.System)));

        Assert.Equal(SessionErrors.ParticipantAlreadyExists, again.Code);
        Assert.Equal(SessionErrors.ParticipantAlreadyExists, inStore.Code);
        Assert.Equal(ParticipantKind.Human, (await Silo.Grains.GetGrain<IParticipantGrain>(id).GetAsync()).Kind);
        Assert.Equal(ParticipantKind.Agent, (await Silo.Grains.GetGrain<IParticipantGrain>(behindTheGrain).GetAsync()).Kind);
    }

    [Fact]
    public async Task Every_broken_rule_is_named_at_once_and_nothing_is_written()
    {
        var id = "bad id " + Guid.NewGuid().ToString("N");
        var command = new CreateParticipantCommand(null, new string('n', fixture.Limits.MaxDisplayNameLength + 1), Json("[1]"));

        var error = await Assert.ThrowsAsync<SessionException>(() => Silo.Grains.GetGrain<IParticipantGrain>(id).CreateAsync(command));

        Assert.Equal(SessionErrors.Validation, error.Code);
        Assert.Equal(["display_name", "id", "kind", "metadata"], error.Fields.Keys.Order(StringComparer.Ordinal));
        Assert.Equal($"id must be 1 to {fixture.Limits.MaxIdLength} characters of letters, digits and . _ : @ -.", Assert.Single(error.Fields["id"]));
        Assert.Equal("kind is required.", Assert.Single(error.Fields["kind"]));
        Assert.Equal("The request has invalid fields: id, kind, display_name, metadata.", error.Message);
        Assert.Equal(0, await Db.CountAsync(fixture.ConnectionString, "select count(*) from participants where id = $1", id));
    }

    public static TheoryData<string> KeysBreakingTheIdRule => new()
    {
        "has space",
        "slash/y",
        "a\u0000b",
        "caf\u00e9",
        "x\ud800",
        new string('x', new LimitsOptions().MaxIdLength + 1),
    };

    [Theory]
    [MemberData(nameof(KeysBreakingTheIdRule))]
    public async Task A_key_that_breaks_the_id_rule_is_a_validation_error_on_id_and_names_no_participant(string key)
    {
        var grain = Silo.Grains.GetGrain<IParticipantGrain>(key);

        var create = await Assert.ThrowsAsync<SessionException>(() => grain.CreateAsync(new CreateParticipantCommand(ParticipantKind.Human)));
        var get = await Assert.ThrowsAsync<SessionException>(grain.GetAsync);

        Assert.Equal(SessionErrors.Validation, create.Code);
        Assert.Equal(["id"], create.Fields.Keys);
        Assert.Equal(SessionErrors.ParticipantNotFound, get.Code);
        await Eventually.TrueAsync(() => !Silo.IsActive(grain), "the activation for a key that names nothing is gone");
    }

    [Fact]
    public async Task An_id_at_the_length_limit_is_accepted()
    {
        var unique = NewId("long");
        var id = unique + new string('x', fixture.Limits.MaxIdLength - unique.Length);

        var created = await Silo.Grains.GetGrain<IParticipantGrain>(id).CreateAsync(new CreateParticipantCommand(ParticipantKind.Human));

        Assert.Equal(fixture.Limits.MaxIdLength, created.Id.Length);
    }

    [Fact]
    public async Task A_kind_that_is_not_defined_is_a_validation_error_on_kind()
    {
        var error = await Assert.ThrowsAsync<SessionException>(() =>
            Silo.Grains.GetGrain<IParticipantGrain>(NewId("kind")).CreateAsync(new CreateParticipantCommand((ParticipantKind)7)));

        Assert.Equal(["kind"], error.Fields.Keys);
    }

    [Theory]
    [InlineData("a\u0000b")]
    [InlineData("\u0000")]
    public async Task A_display_name_that_cannot_be_stored_is_a_validation_error_on_display_name(string displayName)
    {
        var id = NewId("name");

        var error = await Assert.ThrowsAsync<SessionException>(() =>
            Silo.Grains.GetGrain<IParticipantGrain>(id).CreateAsync(new CreateParticipantCommand(ParticipantKind.Human, displayName)));

        Assert.Equal(["display_name"], error.Fields.Keys);
        Assert.Equal(0, await Db.CountAsync(fixture.ConnectionString, "select count(*) from participants where id = $1", id));
    }

    [Fact]
    public async Task A_display_name_at_the_limit_with_control_characters_is_free_text_and_accepted()
    {
        var displayName = "tab\there\n" + new string('n', fixture.Limits.MaxDisplayNameLength - 10);

        var created = await Silo.Grains.GetGrain<IParticipantGrain>(NewId("free")).CreateAsync(new CreateParticipantCommand(ParticipantKind.Human, displayName));

        Assert.Equal(displayName, created.DisplayName);
    }

    [Theory]
    [InlineData("\"x\"")]
    [InlineData("[1]")]
    [InlineData("7")]
    [InlineData("""{"k":"a\u0000b"}""")]
    [InlineData("""{"\ud800":1}""")]
    [InlineData("""{"n":1e99999}""")]
    public async Task Metadata_that_is_no_object_or_cannot_be_stored_is_a_validation_error_on_metadata(string metadata)
    {
        var id = NewId("meta");

        var error = await Assert.ThrowsAsync<SessionException>(() =>
            Silo.Grains.GetGrain<IParticipantGrain>(id).CreateAsync(new CreateParticipantCommand(ParticipantKind.Human, null, Json(metadata))));

        Assert.Equal(["metadata"], error.Fields.Keys);
        Assert.Equal(0, await Db.CountAsync(fixture.ConnectionString, "select count(*) from participants where id = $1", id));
    }

    [Fact]
    public async Task Metadata_over_the_limit_is_refused_and_metadata_at_the_limit_accepted()
    {
        // {"m":"…"} is 8 bytes around the string.
        var atLimit = Json($$"""{"m":"{{new string('m', fixture.Limits.MaxMetadataBytes - 8)}}"}""");
        var overLimit = Json($$"""{"m":"{{new string('m', fixture.Limits.MaxMetadataBytes - 7)}}"}""");

        var error = await Assert.ThrowsAsync<SessionException>(() =>
            Silo.Grains.GetGrain<IParticipantGrain>(NewId("big")).CreateAsync(new CreateParticipantCommand(ParticipantKind.Human, null, overLimit)));
        var created = await Silo.Grains.GetGrain<IParticipantGrain>(NewId("fits")).CreateAsync(new CreateParticipantCommand(ParticipantKind.Human, null, atLimit));

        Assert.Equal($"metadata is larger than {fixture.Limits.MaxMetadataBytes} bytes.", Assert.Single(error.Fields["metadata"]));
        Assert.NotNull(created.Metadata);
    }

    [Fact]
    public async Task Getting_an_unknown_participant_is_participant_not_found_with_its_id()
    {
        var id = NewId("ghost");

        var error = await Assert.ThrowsAsync<SessionException>(Silo.Grains.GetGrain<IParticipantGrain>(id).GetAsync);

        Assert.Equal(SessionErrors.ParticipantNotFound, error.Code);
        Assert.Equal($"Participant '{id}' does not exist.", error.Message);
        Assert.Equal(id, error.Details["participant_id"]);
    }

    [Fact]
    public async Task A_participant_created_in_the_store_after_a_failed_get_is_then_found()
    {
        // An agent's registration writes its participant straight to the store, in its own transaction.
        var id = NewId("agent");
        var grain = Silo.Grains.GetGrain<IParticipantGrain>(id);
        await Assert.ThrowsAsync<SessionException>(grain.GetAsync);

        await Silo.Participants.TryInsertAsync(id, ParticipantKind.Agent, "Helper", null, CancellationToken.None);

        Assert.True(Silo.IsActive(grain));
        Assert.Equal(("Helper", ParticipantKind.Agent), ((await grain.GetAsync()).DisplayName, (await grain.GetAsync()).Kind));
    }

    private static string NewId(string name) => $"{name}-{Guid.NewGuid():N}";

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
