using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Tacit.EndToEnd;

/// <summary>The published app at <c>https://tacit.example:PORT</c> (<c>App__BaseUrl</c>), with nginx in front of it on that port.</summary>
public sealed class TacitBehindNginx : IAsyncLifetime
{
    public TacitBehindNginx()
    {
        Nginx = Nginx.OnFreePorts();
        Server = new TacitServer(Nginx.PublicBaseUrl);
    }

    public Nginx Nginx { get; }

    public TacitServer Server { get; }

    public string PublicBaseUrl => Nginx.PublicBaseUrl;

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        await Nginx.StartAsync(new Uri(Server.BaseUrl).Port);
    }

    /// <summary>
    /// A client of <see cref="PublicBaseUrl"/> that reaches nginx on loopback whatever the name, trusts only this run's
    /// certificate, keeps cookies and follows no redirect.
    /// </summary>
    public HttpClient HttpsClient()
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(Nginx.CertificatePath));
        var thumbprint = certificate.Thumbprint;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = new CookieContainer(),
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, Nginx.HttpsPort, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented is X509Certificate2 served && served.Thumbprint == thumbprint,
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri(PublicBaseUrl) };
    }

    /// <summary>Both tests sign in to the demo organisation; whichever runs first loads it.</summary>
    public async Task LoadDemoAsync()
    {
        using var http = HttpsClient();
        using var loaded = await http.PostAsync("/api/demo", null);
        Assert.True(loaded.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"POST /api/demo through nginx: {(int)loaded.StatusCode}\n{Nginx.LogText()}");
    }

    public async Task DisposeAsync()
    {
        await Nginx.DisposeAsync();
        await ((IAsyncLifetime)Server).DisposeAsync();
    }
}
