using Sessions.Abstractions;
using Xunit.Abstractions;

namespace Sessions.Grains.Tests.Inbox;

/// <summary>
/// Inboxes under a random mix of appends by different senders, read-cursor moves and status changes across sessions
/// that share participants, checked against the tables. The seed is printed, so a failure can be replayed.
/// </summary>
public sealed class InboxWorkloadTests(DatabaseFixture database, ITestOutputHelper output) : IClassFixture<DatabaseFixture>
{
    // Mostly moves between the open states, so that sessions keep taking messages; now and then one is completed.
    private static readonly SessionStatus[] Targets =
    [
        SessionStatus.Active, SessionStatus.Idle, SessionStatus.Suspended, SessionStatus.Active, SessionStatus.Idle, SessionStatus.Active,
        SessionStatus.Suspended, SessionStatus.Active, SessionStatus.Idle, SessionStatus.Active, SessionStatus.Active, SessionStatus.Completed,
    ];

    [Fact]
    public async Task Unread_counts_and_order_match_the_tables_after_a_random_mixed_workload()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var participants = await RunWorkloadAsync(silo, operations: 120);

        foreach (var participant in participants)
        {
            var inbox = await silo.InboxMatchesTablesAsync(database.ConnectionString, participant);
            Assert.NotEmpty(inbox);
        }
    }

    [Fact]
    public async Task An_inbox_rebuilt_after_deactivation_equals_the_live_one()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var participants = await RunWorkloadAsync(silo, operations: 50);
        var participant = participants[0];
        await silo.InboxMatchesTablesAsync(database.ConnectionString, participant);
        var inbox = silo.Inbox(participant);
        var live = await inbox.ListAllAsync();

        await silo.DeactivateAsync(inbox);
        Assert.False(silo.IsActive(inbox));
        var rebuilt = await inbox.ListAllAsync();

        Assert.True(silo.IsActive(inbox));
        Assert.Equal(live, rebuilt);
    }

    /// <summary>Four humans and an agent in six sessions, then <paramref name="operations"/> random steps; returns the participants.</summary>
    private async Task<string[]> RunWorkloadAsync(ChatSilo silo, int operations)
    {
        var seed = Random.Shared.Next();
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var humans = new string[4];
        for (var i = 0; i < humans.Length; i++)
        {
            humans[i] = await silo.NewParticipantAsync($"h{i}");
        }

        var agent = await silo.NewParticipantAsync("agent", ParticipantKind.Agent);
        var sessions = new List<ChatSession>();
        for (var i = 0; i < 6; i++)
        {
            // Every human starts one session at least, so every inbox has something in it.
            var initiator = humans[i % humans.Length];
            var peer = humans.Where(h => h != initiator).ElementAt(random.Next(humans.Length - 1));
            sessions.Add(await silo.NewSessionAsync(initiator, peer, i % 2 == 0 ? agent : null));
        }

        for (var step = 0; step < operations; step++)
        {
            var index = random.Next(sessions.Count);
            var session = sessions[index];
            string[] members = session.AgentId is { } a ? [session.InitiatorId, session.PeerId, a] : [session.InitiatorId, session.PeerId];
            var member = members[random.Next(members.Length)];
            var roll = random.Next(10);
            if (roll < 6 && SessionStatusTransitions.AcceptsMessages(session.Status))
            {
                await silo.Session(session.Id).AppendAsync(Messages.Text(member, $"step {step} from {member}"));
            }
            else if (roll < 8)
            {
                var entry = await silo.Inbox(member).MarkReadAsync(session.Id, random.NextInt64(0, session.LastSeq + 1));
                Assert.True(entry.LastReadSeq <= session.LastSeq, $"step {step}: the cursor is past the log");
            }
            else
            {
                var target = Targets[random.Next(Targets.Length)];
                if (SessionStatusTransitions.IsAllowed(session.Status, target))
                {
                    await silo.Session(session.Id).ChangeStatusAsync(target);
                }
            }

            sessions[index] = await silo.Session(session.Id).GetAsync();
        }

        output.WriteLine($"{sessions.Sum(s => s.LastSeq)} messages; statuses {string.Join(", ", sessions.Select(s => s.Status))}");
        return [.. humans, agent];
    }
}
