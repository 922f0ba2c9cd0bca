using System.Reflection;

namespace Sessions.Actors;

/// <summary>
/// The grain reference handed out by <see cref="IGrainFactory"/>: a dispatch proxy that serializes each call's
/// arguments, sends the call through the router and deserializes the result, so caller and grain never share objects.
/// </summary>
public class GrainProxy : DispatchProxy
{
    private GrainInterface _interface = null!;
    private IGrainCallRouter _router = null!;
    private TimeSpan _timeout;

    /// <summary>The key of the referenced grain.</summary>
    public string Key { get; private set; } = "";

    internal void Initialize(GrainInterface grainInterface, string key, IGrainCallRouter router, TimeSpan timeout)
    {
        _interface = grainInterface;
        Key = key;
        _router = router;
        _timeout = timeout;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (!_interface.ByMethodInfo.TryGetValue(targetMethod, out var method))
        {
            throw new NotSupportedException($"{targetMethod.Name} is not a grain method of {_interface.TypeName}.");
        }

        return method.ProxyInvoke(this, args ?? []);
    }

    internal static async Task CallAsync(GrainProxy proxy, GrainMethod method, object?[] args)
    {
        await proxy.SendAsync(method, args).ConfigureAwait(false);
    }

    internal static async Task<T> CallAsync<T>(GrainProxy proxy, GrainMethod method, object?[] args)
    {
        var response = await proxy.SendAsync(method, args).ConfigureAwait(false);
        return method.DeserializeResult<T>(response.Result);
    }

    private async Task<GrainResponse> SendAsync(GrainMethod method, object?[] args)
    {
        var call = new GrainCall(_interface.TypeName, Key, method.Name, method.SerializeArguments(args));
        using var deadline = new CancellationTokenSource(_timeout);
        for (var attempt = 1; ; attempt++)
        {
            GrainResponse response;
            try
            {
                response = await _router.SendAsync(call, deadline.Token).WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"{_interface.TypeName}.{method.Name} on '{Key}' did not answer within {_timeout}.");
            }

            // A connection that broke after sending leaves the outcome unknown: resend only what is safe to run twice.
            if (response.Error is { Code: RuntimeErrors.CallInterrupted } && attempt < MaxAttempts && method.IsRetrySafe(args))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            if (response.Error is { } error)
            {
                throw error.ToException();
            }

            return response;
        }
    }

    private const int MaxAttempts = 4;
}
