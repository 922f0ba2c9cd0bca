using System.Reflection;

namespace Sessions.Actors;

/// <summary>Runs one serialized call on a target object (an activation's grain or an observer) and serializes the outcome.</summary>
internal static class GrainInvoker
{
    /// <param name="onUnexpected">Told about exceptions that are not <see cref="GrainException"/>s, with their stack traces, for logging.</param>
    public static async Task<GrainResponse> InvokeAsync(object target, GrainMethod method, byte[] arguments, Action<Exception>? onUnexpected = null)
    {
        try
        {
            var args = method.DeserializeArguments(arguments);
            var task = (Task)method.Method.Invoke(target, BindingFlags.DoNotWrapExceptions, null, args, null)!;
            await task.ConfigureAwait(false);
            return new GrainResponse(method.SerializeResult(task), null);
        }
        catch (Exception e)
        {
            if (e is not GrainException)
            {
                onUnexpected?.Invoke(e);
            }

            return new GrainResponse(null, GrainError.From(e));
        }
    }
}
