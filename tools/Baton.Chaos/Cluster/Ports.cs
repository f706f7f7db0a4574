using System.Net;
using System.Net.Sockets;

namespace Baton.Chaos.Cluster;

internal static class Ports
{
    /// <summary>A loopback port free now (the OS picks it).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
