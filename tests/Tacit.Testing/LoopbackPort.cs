using System.Net;
using System.Net.Sockets;

namespace Tacit.Testing;

public static class LoopbackPort
{
    /// <summary>A free loopback port below 32768, away from the ephemeral range other processes draw from.</summary>
    public static int Free()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException) { }
        }
        throw new InvalidOperationException("No free loopback port between 20000 and 32000.");
    }
}
