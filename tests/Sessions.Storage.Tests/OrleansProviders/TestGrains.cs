using System.Collections.Concurrent;
using Orleans;
using Orleans.Runtime;

namespace Sessions.Storage.Tests.OrleansProviders;

/// <summary>Answers which silo it lives on: proof that a call reached the cluster.</summary>
public interface IPingGrain : IGrainWithStringKey
{
    Task<string> SiloAsync();
}

public sealed class PingGrain(ILocalSiloDetails silo) : Grain, IPingGrain
{
    public Task<string> SiloAsync() => Task.FromResult(silo.SiloAddress.ToParsableString());
}

[GenerateSerializer]
public sealed class NoteState
{
    [Id(0)]
    public string? Text { get; set; }
}

/// <summary>What an activation holds: its state, ETag and whether storage had a record, and who it is.</summary>
[GenerateSerializer]
[Immutable]
public sealed record NoteView(
    [property: Id(0)] string? Text,
    [property: Id(1)] string? ETag,
    [property: Id(2)] bool RecordExists,
    [property: Id(3)] Guid Activation);

/// <summary>A grain with one persistent state; the key kinds below exercise the provider's key columns.</summary>
public interface INote : IGrain
{
    Task<NoteView> ReadAsync();

    Task WriteAsync(string text);

    Task ClearAsync();

    Task DeactivateAsync();
}

/// <summary>String key: the whole key is the provider's key extension (n0 = n1 = 0).</summary>
public interface INoteGrain : INote, IGrainWithStringKey;

/// <summary>Integer key without extension: the key is n1 and the extension is null.</summary>
public interface INumberedNoteGrain : INote, IGrainWithIntegerKey;

/// <summary>Kept by the storage that deletes the row on clear (DeleteStorageKey).</summary>
public interface IDeletingNoteGrain : INote, IGrainWithStringKey;

public abstract class NoteGrainBase(IPersistentState<NoteState> note) : Grain, INote
{
    private readonly Guid _activation = Guid.NewGuid();

    public Task<NoteView> ReadAsync() => Task.FromResult(new NoteView(note.State.Text, note.Etag, note.RecordExists, _activation));

    public Task WriteAsync(string text)
    {
        note.State.Text = text;
        return note.WriteStateAsync();
    }

    public Task ClearAsync() => note.ClearStateAsync();

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

public sealed class NoteGrain([PersistentState("note", "store")] IPersistentState<NoteState> note) : NoteGrainBase(note), INoteGrain;

public sealed class NumberedNoteGrain([PersistentState("note", "store")] IPersistentState<NoteState> note) : NoteGrainBase(note), INumberedNoteGrain;

public sealed class DeletingNoteGrain([PersistentState("note", "deleting")] IPersistentState<NoteState> note) : NoteGrainBase(note), IDeletingNoteGrain;

/// <summary>A grain with reminders; every tick it receives is counted in <see cref="Ticks"/>.</summary>
public interface IAlarmGrain : IGrainWithStringKey
{
    Task SetAsync(string name, TimeSpan due, TimeSpan period);

    Task<bool> HasAsync(string name);

    Task<string[]> NamesAsync();

    Task CancelAsync(string name);
}

public sealed class AlarmGrain : Grain, IAlarmGrain, IRemindable
{
    /// <summary>Ticks by "grain key/reminder name", shared with the tests (the silos run in this process).</summary>
    public static readonly ConcurrentDictionary<string, int> Ticks = new();

    public async Task SetAsync(string name, TimeSpan due, TimeSpan period) => await this.RegisterOrUpdateReminder(name, due, period);

    public async Task<bool> HasAsync(string name) => await this.GetReminder(name) is not null;

    public async Task<string[]> NamesAsync() => [.. (await this.GetReminders()).Select(r => r.ReminderName).Order(StringComparer.Ordinal)];

    public async Task CancelAsync(string name)
    {
        var reminder = await this.GetReminder(name) ?? throw new InvalidOperationException($"No reminder '{name}'.");
        await this.UnregisterReminder(reminder);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Ticks.AddOrUpdate($"{this.GetPrimaryKeyString()}/{reminderName}", 1, (_, count) => count + 1);
        return Task.CompletedTask;
    }
}
