namespace Sessions.Gateway.Tests;

/// <summary>Waits for a condition with a deadline (never a fixed sleep): polls quickly, fails with a message on timeout.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.");
            }

            await Task.Delay(50);
        }
    }

    public static Task IsTrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        ReturnsAsync<object>(async () => await condition() ? new object() : null, timeout, what);

    public static Task IsTrueAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        IsTrueAsync(() => Task.FromResult(condition()), timeout, what);
}
