namespace Sessions.Gateway.Authentication;

/// <summary>
/// A long-lived connection opened with a participant token (a WebSocket, an event stream), which must end when the
/// token stops being valid: what <see cref="ConnectionTokens"/> watches. Owned here so that authentication needs to
/// know nothing of the realtime code that implements it.
/// </summary>
internal interface ITokenBoundConnection
{
    /// <summary>Ends the connection, telling the client <paramref name="reason"/> (one of <see cref="ConnectionTokens"/>' reasons).</summary>
    void End(string reason);
}
