using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tacit.Web.Infrastructure;

namespace Tacit.Bench.People;

/// <summary>The web app's own services on the configured database (Database__Provider, ConnectionStrings__Default).</summary>
internal static class BenchHost
{
    public static async Task<IHost> StartAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Critical);
        builder.Services.AddTacitCore(builder.Configuration);
        var host = builder.Build();
        await DatabaseSetup.MigrateAsync(host.Services);
        return host;
    }

    public static string Option(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }
}
