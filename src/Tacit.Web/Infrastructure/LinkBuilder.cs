using Microsoft.Extensions.Options;

namespace Tacit.Web.Infrastructure;

public sealed class LinkOptions
{
    /// <summary>
    /// The address people use to reach Tacit; links in emails start with it. When it is not set it follows the address
    /// the app listens on (<c>Port</c>, or the first of <c>urls</c>), so <c>PORT=8080 ./run.sh</c> mails working links.
    /// </summary>
    public string BaseUrl { get; set; } = "";

    public static string ListeningAddress(IConfiguration configuration)
    {
        var urls = configuration["urls"] ?? configuration["ASPNETCORE_URLS"];
        if (string.IsNullOrWhiteSpace(urls)) return $"http://127.0.0.1:{configuration["Port"] ?? "5000"}";
        // A wildcard host (http://*:80, http://+:80, http://0.0.0.0:80) is no address a person can use; localhost is the best guess.
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        return first.Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal);
    }
}

/// <summary>Absolute links for emails and the command line, which have no request to take the host from.</summary>
public sealed class LinkBuilder(IOptions<LinkOptions> options)
{
    public string To(string pathAndQuery) => options.Value.BaseUrl.TrimEnd('/') + "/" + pathAndQuery.TrimStart('/');
}
