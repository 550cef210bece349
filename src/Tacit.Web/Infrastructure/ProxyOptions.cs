using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Tacit.Web.Infrastructure;

/// <summary>Which reverse proxies Tacit believes about the original scheme and client: <c>Proxy:Trusted</c>.</summary>
public static class ProxyOptions
{
    /// <summary>
    /// <c>Proxy:Trusted</c> is a comma-separated list of addresses and networks ("10.0.0.5, 10.1.0.0/16"); without it,
    /// only a proxy on the same machine (loopback) is believed. A header from anyone else is ignored, so a client
    /// cannot claim https or another address for itself.
    /// </summary>
    public static ForwardedHeadersOptions From(IConfiguration configuration)
    {
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        var trusted = configuration["Proxy:Trusted"];
        if (string.IsNullOrWhiteSpace(trusted)) return options;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var entry in trusted.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (System.Net.IPNetwork.TryParse(entry, out var network) && entry.Contains('/')) options.KnownIPNetworks.Add(network);
            else if (IPAddress.TryParse(entry, out var address)) options.KnownProxies.Add(address);
            else throw new InvalidOperationException($"Proxy:Trusted: '{entry}' is neither an address (10.0.0.5) nor a network (10.0.0.0/16).");
        }
        return options;
    }
}
