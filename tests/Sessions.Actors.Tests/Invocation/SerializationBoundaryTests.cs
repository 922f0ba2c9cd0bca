namespace Sessions.Actors.Tests;

public sealed class SerializationBoundaryTests
{
    [Fact]
    public async Task Arguments_and_results_are_copies_not_shared_objects()
    {
        await using var silo = await TestSilo.StartAsync();
        var counter = silo.Grains.GetGrain<ICounterGrain>("copies");
        var notes = new List<string> { "mine" };

        var tally = await counter.AddNotesAsync(notes);
        tally.Notes.Add("changed by caller");

        Assert.Equal(["mine"], notes);
        Assert.Equal(["mine", "touched by grain"], (await counter.GetAsync()).Notes);
    }

    [Fact]
    public async Task A_grain_interface_with_a_type_no_json_context_knows_is_refused_at_first_use()
    {
        await using var silo = await TestSilo.StartAsync();

        var error = Assert.Throws<InvalidOperationException>(() => silo.Grains.GetGrain<IUnserializableGrain>("x"));

        Assert.Contains(nameof(Uri), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_to_an_interface_no_grain_class_implements_fails_with_a_clear_code()
    {
        await using var silo = await TestSilo.StartAsync();

        var error = await Assert.ThrowsAsync<GrainException>(() => silo.Grains.GetGrain<IOrphanGrain>("x").PingAsync());

        Assert.Equal(RuntimeErrors.UnknownGrainType, error.Code);
    }
}

public interface IUnserializableGrain : IGrainWithStringKey
{
    Task<Uri> GetAsync();
}

public interface IOrphanGrain : IGrainWithStringKey
{
    Task<string> PingAsync();
}
