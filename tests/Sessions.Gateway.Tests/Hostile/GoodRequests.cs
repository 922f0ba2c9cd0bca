using System.Diagnostics;
using System.Net;

namespace Sessions.Gateway.Tests.Hostile;

/// <summary>
/// A well-behaved client beside the attack: over and over, a new pair of participants, a session between them, a
/// message, and that message read back. Every round must succeed, during the attack as after it.
/// </summary>
public sealed class GoodRequests(HttpClient client)
{
    private readonly List<string> _failures = [];

    public int Rounds { get; private set; }

    public TimeSpan Slowest { get; private set; }

    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_failures)
            {
                return [.. _failures];
            }
        }
    }

    /// <summary>A round every <paramref name="pace"/> (a client's pace, not a wait for anything) until <paramref name="stop"/>.</summary>
    public async Task RunUntilAsync(TimeSpan pace, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(pace);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await RoundAsync();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round; a failure is recorded (not thrown) so the attack goes on and the report shows them all.</summary>
    public async Task<bool> RoundAsync()
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var (sessionId, alice, _) = await client.CreateSessionAsync();
            var text = $"good {Rounds}";
            await (await client.AppendAsync(sessionId, alice, text)).ExpectJsonAsync(HttpStatusCode.Created);
            var page = await (await client.GetAsync($"/api/sessions/{sessionId}/messages?after_seq=0")).ExpectJsonAsync(HttpStatusCode.OK);
            var read = page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content").GetProperty("text").GetString()).ToList();
            Assert.Equal([text], read);
            return true;
        }
        catch (Exception e)
        {
            lock (_failures)
            {
                _failures.Add($"round {Rounds}: {e.GetType().Name}: {e.Message}");
            }

            return false;
        }
        finally
        {
            Rounds++;
            Slowest = clock.Elapsed > Slowest ? clock.Elapsed : Slowest;
        }
    }
}
