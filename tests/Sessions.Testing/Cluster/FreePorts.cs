using System.Net;
using System.Net.Sockets;

namespace Sessions.Testing.Cluster;

/// <summary>
/// Loopback ports nobody listens on right now, never the same one twice in this process: silos keep their ports
/// across restarts, so a port handed to one silo must not be handed to the next one while the first is down.
/// </summary>
public static class FreePorts
{
    private static readonly HashSet<int> Given = [];

    public static int Next()
    {
        while (true)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)probe.LocalEndPoint!).Port;
            lock (Given)
            {
                if (Given.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
