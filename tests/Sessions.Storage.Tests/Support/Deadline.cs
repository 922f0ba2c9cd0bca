namespace Sessions.Storage.Tests.Support;

/// <summary>Waits for a condition to hold, failing after a deadline rather than sleeping a guessed time.</summary>
public static class Deadline
{
    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(20);
        }
    }
}
