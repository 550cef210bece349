using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tacit.Web.Infrastructure;

namespace Tacit.Testing;

/// <summary>The app's use cases on a database of a test's own, beside the app or command under test.</summary>
public static class UseCaseHost
{
    /// <summary>
    /// The app's use cases on the database <paramref name="settings"/> name, built as the <c>tacit</c> command builds
    /// them: no background work (reminders stay with the instances), nothing listening.
    /// </summary>
    public static IHost Build(IReadOnlyDictionary<string, string> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))
            .Append(KeyValuePair.Create("Reminders:Run", (string?)"false")));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddTacitCore(builder.Configuration);
        return builder.Build();
    }
}
