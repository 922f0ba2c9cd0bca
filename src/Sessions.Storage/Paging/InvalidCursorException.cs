namespace Sessions.Storage.Paging;

/// <summary>A page cursor that this store did not issue (malformed, truncated, or from another listing).</summary>
public sealed class InvalidCursorException : Exception
{
    // The cursor is client input, so it stays out of the message (which may reach a problem+json body).
    public InvalidCursorException(string cursor, Exception? innerException = null)
        : base("The page cursor is malformed or was not issued by this listing.", innerException) => Cursor = cursor;

    /// <summary>The rejected cursor, for logs.</summary>
    public string Cursor { get; }
}
