using Microsoft.Extensions.Configuration;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Tests.Infrastructure;

public class LinkOptionsTests
{
    private static string AddressOf(params (string Key, string Value)[] settings) =>
        LinkOptions.ListeningAddress(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void Links_follow_the_port_or_the_first_listening_address_when_no_base_url_is_set()
    {
        Assert.Equal("http://127.0.0.1:5000", AddressOf());
        Assert.Equal("http://127.0.0.1:8080", AddressOf(("Port", "8080")));
        Assert.Equal("https://tacit.example:8443", AddressOf(("urls", "https://tacit.example:8443;http://127.0.0.1:80"), ("Port", "8080")));
        Assert.Equal("http://localhost:9000", AddressOf(("urls", "http://*:9000")));
        Assert.Equal("http://localhost:9000", AddressOf(("urls", "http://0.0.0.0:9000")));
    }
}
