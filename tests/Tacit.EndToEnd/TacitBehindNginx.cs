using System.Net;

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

    /// <summary>A client of <see cref="PublicBaseUrl"/> through nginx (<see cref="Nginx.HttpsClient"/>).</summary>
    public HttpClient HttpsClient() => Nginx.HttpsClient();

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
