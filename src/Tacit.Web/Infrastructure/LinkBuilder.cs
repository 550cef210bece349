using Microsoft.Extensions.Options;

namespace Tacit.Web.Infrastructure;

public sealed class LinkOptions
{
    /// <summary>The address people use to reach Tacit; links in emails start with it.</summary>
    public string BaseUrl { get; set; } = "http://127.0.0.1:5000";
}

/// <summary>Absolute links for emails and the command line, which have no request to take the host from.</summary>
public sealed class LinkBuilder(IOptions<LinkOptions> options)
{
    public string To(string pathAndQuery) => options.Value.BaseUrl.TrimEnd('/') + "/" + pathAndQuery.TrimStart('/');
}
