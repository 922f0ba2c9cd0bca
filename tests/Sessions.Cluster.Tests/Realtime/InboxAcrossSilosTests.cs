using System.Net;
using System.Text.Json;
using Npgsql;
using Sessions.Abstractions;
using Sessions.Client;
using Sessions.Testing.Cluster;

namespace Sessions.Cluster.Tests.Realtime;

/// <summary>
/// Inboxes under a mixed workload (appends by either member, read-cursor moves, status changes) through random silos:
/// every participant's inbox — order, last_seq, status, unread count — equals what the database says, and again after
/// the silo holding most inboxes is killed with SIGKILL and the workload goes on.
/// </summary>
public sealed class InboxAcrossSilosTests(ITestOutputHelper output)
{
    private const int Participants = 4;
    private const int Sessions = 8;

    [Fact]
    public async Task Inboxes_are_exact_after_a_mixed_workload_and_again_after_the_inbox_silo_is_killed()
    {
        await using var cluster = await LocalCluster.StartAsync(3, new Dictionary<string, string?> { ["Sessions__Inbox__ReconcilePeriod"] = "00:00:02" });
        var random = new Random(20261129);
        var people = new List<string>();
        for (var i = 0; i < Participants; i++)
        {
            var id = ChatHttp.Unique($"p{i}");
            using var created = await cluster.Silos[0].Http.SendAsync(ChatHttp.Post("/api/participants", $$"""{"id":"{{id}}","kind":"human"}"""));
            await ChatHttp.ExpectAsync(created, HttpStatusCode.Created);
            people.Add(id);
        }

        var sessions = new List<(string Id, string A, string B)>();
        for (var i = 0; i < Sessions; i++)
        {
            var a = people[i % Participants];
            var b = people[(i + 1 + (i / Participants)) % Participants];
            using var created = await cluster.Silos[i % 3].Http.SendAsync(ChatHttp.Post("/api/sessions", $$"""{"initiator_id":"{{a}}","peer_id":"{{b}}"}"""));
            sessions.Add(((await ChatHttp.ExpectAsync(created, HttpStatusCode.Created)).GetProperty("id").GetString()!, a, b));
        }

        await RunWorkloadAsync(cluster, sessions, random, operations: 250);
        await AssertInboxesExactAsync(cluster, people, "after the workload");

        await using var client = await SessionsClusterClient.ConnectAsync(new ClusterClientOptions { ConnectionString = cluster.ConnectionString, ClusterId = cluster.ClusterId });
        var management = client.Client.GetGrain<IManagementGrain>(0);
        var hosts = new Dictionary<SiloProcess, int>();
        foreach (var person in people)
        {
            if (await management.GetActivationAddress(client.GetGrain<IInboxGrain>(person)) is { } address)
            {
                var process = cluster.ProcessOf(address);
                hosts[process] = hosts.GetValueOrDefault(process) + 1;
            }
        }

        var (victim, held) = hosts.MaxBy(h => h.Value);
        victim.Kill();
        output.WriteLine($"killed {victim.Name}, which held {held} of the {Participants} inboxes");

        await RunWorkloadAsync(cluster, sessions, random, operations: 150);
        await AssertInboxesExactAsync(cluster, people, "after the kill");
    }

    private async Task RunWorkloadAsync(LocalCluster cluster, List<(string Id, string A, string B)> sessions, Random random, int operations)
    {
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < operations; i++)
        {
            var (id, a, b) = sessions[random.Next(sessions.Count)];
            var who = random.Next(2) == 0 ? a : b;
            var roll = random.Next(100);
            var (kind, path, body) = roll switch
            {
                < 65 => ("append", $"/api/sessions/{id}/messages", ChatHttp.MessageBody(who, $"m-{Guid.NewGuid():N}")),
                < 90 => ("read", $"/api/sessions/{id}/read", $$"""{"participant_id":"{{who}}","last_seq":{{await LastSeqAsync(cluster, id) * random.Next(0, 101) / 100}}}"""),
                _ => ("status", $"/api/sessions/{id}/status", random.Next(2) == 0 ? """{"status":"suspended"}""" : """{"status":"active"}"""),
            };

            // Through a random running silo; a silo failure is sent again elsewhere (each request here is safe to repeat).
            for (var attempt = 0; ; attempt++)
            {
                var running = cluster.Running.ToList();
                try
                {
                    using var response = await running[random.Next(running.Count)].Http.SendAsync(ChatHttp.Post(path, body));
                    if ((int)response.StatusCode >= 500 && attempt < 50)
                    {
                        await Task.Delay(50);
                        continue;
                    }

                    // 409: an append to a suspended session, or a status move that is not one.
                    Assert.True(response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Conflict, $"{kind} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    counts[kind] = counts.GetValueOrDefault(kind) + (response.IsSuccessStatusCode ? 1 : 0);
                    break;
                }
                catch (HttpRequestException) when (attempt < 50)
                {
                    await Task.Delay(50);
                }
            }
        }

        output.WriteLine($"workload: {string.Join(", ", counts.Select(c => $"{c.Value} {c.Key}"))}");
    }

    private static async Task<long> LastSeqAsync(LocalCluster cluster, string sessionId)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select last_seq from chat_sessions where id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Each inbox, read through the HTTP API, equals the database's answer; waits a while for notices in flight.</summary>
    private async Task AssertInboxesExactAsync(LocalCluster cluster, List<string> people, string when)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        foreach (var person in people)
        {
            var expected = await ExpectedInboxAsync(cluster.ConnectionString, person);
            string actual;
            while (true)
            {
                actual = await ActualInboxAsync(cluster, person);
                if (actual == expected || DateTime.UtcNow > deadline)
                {
                    break;
                }

                await Task.Delay(100);
            }

            ClusterAssert.True(cluster, actual == expected, $"{when}: the inbox of {person} is\n{actual}\nbut the database says\n{expected}");
        }

        output.WriteLine($"{when}: all {people.Count} inboxes exact");
    }

    private static async Task<string> ActualInboxAsync(LocalCluster cluster, string person)
    {
        foreach (var silo in cluster.Running)
        {
            try
            {
                using var response = await silo.Http.GetAsync($"/api/participants/{person}/inbox?limit=50");
                if (response.IsSuccessStatusCode)
                {
                    var inbox = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                    return string.Join('\n', inbox.GetProperty("sessions").EnumerateArray().Select(e =>
                        $"{e.GetProperty("session_id").GetString()} {e.GetProperty("status").GetString()} seq={e.GetProperty("last_seq").GetInt64()} unread={e.GetProperty("unread_count").GetInt64()}"));
                }
            }
            catch (HttpRequestException)
            {
            }
        }

        return "(no silo answered)";
    }

    /// <summary>The inbox computed from the tables alone: newest activity first, unread = others' messages after the cursor.</summary>
    private static async Task<string> ExpectedInboxAsync(string connectionString, string person)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            select s.id, s.status, s.last_seq,
                   (select count(*) from chat_messages m
                    where m.session_id = s.id and m.sender_id <> $1
                      and m.seq > coalesce((select c.last_read_seq from read_cursors c where c.session_id = s.id and c.participant_id = $1), 0))
            from chat_sessions s
            where $1 in (s.initiator_id, s.peer_id, s.agent_id)
            order by coalesce(s.last_message_at, s.created_at) desc, s.id desc
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = person });
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add($"{reader.GetString(0)} {reader.GetString(1)} seq={reader.GetInt64(2)} unread={reader.GetInt64(3)}");
        }

        return string.Join('\n', lines);
    }
}
