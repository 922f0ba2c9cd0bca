using System.Net;
using System.Net.Sockets;

namespace Sessions.Embedded;

/// <summary>Asks the OS for a loopback port nobody listens on right now (a start retries if it is taken meanwhile).</summary>
internal static class FreePort
{
    public static int Pick()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
