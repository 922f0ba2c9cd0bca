using Sessions.Abstractions;

namespace Sessions.Grains.Tests.Inbox;

public sealed class InboxObserverTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task An_observer_gets_a_snapshot_and_then_every_change_as_a_delta_with_increasing_versions()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var alice = await silo.NewParticipantAsync("alice");
        var bob = await silo.NewParticipantAsync("bob");
        var session = await silo.NewSessionAsync(alice, bob);
        var inbox = silo.Inbox(alice);
        await inbox.EntryEventuallyAsync(session.Id, _ => true, "the new session is in the inbox");
        var observer = new RecordingInboxObserver();
        var reference = silo.Grains.CreateObjectReference<IInboxObserver>(observer);

        var snapshot = await inbox.SubscribeAsync(reference);
        for (var i = 1; i <= 5; i++)
        {
            await silo.Session(session.Id).AppendAsync(Messages.Text(i % 2 == 0 ? alice : bob, $"m{i}"));
        }

        await Eventually.TrueAsync(() => observer.Deltas.Count == 5, "a delta per message");
        await inbox.MarkReadAsync(session.Id, 3);
        await silo.Session(session.Id).ChangeStatusAsync(SessionStatus.Suspended);
        await Eventually.TrueAsync(() => observer.Deltas.Count == 7, "a delta for the read cursor and one for the status");
        await inbox.UnsubscribeAsync(reference);

        // One-way calls to an observer may arrive out of order (Orleans does not order them); the versions say the
        // order, and consumers go by them (the gateway's inbox feed does).
        var deltas = observer.Deltas.OrderBy(d => d.Version).ToList();
        Assert.Equal(alice, snapshot.ParticipantId);
        Assert.Equal(0, Assert.Single(snapshot.Sessions).LastSeq);
        Assert.All(deltas, d => Assert.Equal(alice, d.ParticipantId));
        Assert.Equal(7, deltas.Select(d => d.Version).Distinct().Count());
        Assert.True(deltas[0].Version > snapshot.Version);
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 5L, 5L], deltas.Select(d => d.Entry.LastSeq));
        Assert.Equal([1L, 1L, 2L, 2L, 3L, 1L, 1L], deltas.Select(d => d.Entry.UnreadCount));
        Assert.Equal(SessionStatus.Suspended, deltas[^1].Entry.Status);
        Assert.Equal(Assert.Single(await inbox.ListAllAsync()), deltas[^1].Entry);
        GC.KeepAlive(observer);
    }

    [Fact]
    public async Task An_unknown_participant_cannot_be_subscribed_to()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var observer = new RecordingInboxObserver();

        var refused = await Assert.ThrowsAsync<SessionException>(() =>
            silo.Inbox($"nobody-{Guid.NewGuid():N}").SubscribeAsync(silo.Grains.CreateObjectReference<IInboxObserver>(observer)));

        Assert.Equal(SessionErrors.ParticipantNotFound, refused.Code);
        GC.KeepAlive(observer);
    }
}
