using System.Net;
using System.Net.Sockets;
using Tacit.Domain;

namespace Tacit.Web.Features.Webhooks;

/// <summary>
/// Which addresses a webhook may go to: http or https URLs only, and, unless the operator allows private addresses
/// (<see cref="WebhookOptions.AllowPrivateAddresses"/>), only public IP addresses. The URL is checked when it is
/// subscribed and every address is checked again when the sender connects, after the name is resolved, so a name that
/// later resolves to an inside address (DNS rebinding) and a redirect (never followed) cannot reach the inside either.
/// </summary>
public static class WebhookAddresses
{
    public static Uri Parse(string? url, bool allowPrivate)
    {
        var text = Guard.Required(url, "Url", "Address", WebhookEndpoint.UrlMaxLength);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new DomainException("Give an http:// or https:// address.", "Url");
        if (uri.UserInfo.Length > 0) throw new DomainException("Leave the user name and password out of the address.", "Url");
        if (uri.Fragment.Length > 0) throw new DomainException("Leave the #fragment out of the address.", "Url");
        if (!allowPrivate && (uri.IsLoopback || (IPAddress.TryParse(uri.IdnHost, out var ip) && !IsPublic(ip))))
            throw new DomainException("This server sends webhooks to public addresses only; ask the operator about private ones.", "Url");
        return uri;
    }

    /// <summary>
    /// An HTTP client for addresses an organisation typed (webhooks, chat): redirects are answers, never followed, and
    /// every address a name resolves to is checked when connecting, unless the operator allows private addresses.
    /// </summary>
    public static HttpClient Client(bool allowPrivate, TimeSpan timeout, string userAgent)
    {
        async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
            var allowed = allowPrivate ? addresses : [.. addresses.Where(IsPublic)];
            if (allowed.Length == 0) throw new HttpRequestException($"{host} has no public address; this server sends to public addresses only.");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        var client = new HttpClient(new SocketsHttpHandler
        {
            // A redirect could lead anywhere, inside the network too: a 3xx is an answer, and a failed attempt.
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = ConnectAsync,
        }) { Timeout = timeout };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        return client;
    }

    /// <summary>False for loopback, private, shared, link-local, unique-local, multicast and unspecified addresses.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or 127 || b[0] >= 224
                || (b[0] == 100 && b[1] >= 64 && b[1] < 128)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] < 32)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && b[1] is 18 or 19));
        }
        var bytes = address.GetAddressBytes();
        return !(address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
            || (bytes[0] & 0xfe) == 0xfc);
    }
}
