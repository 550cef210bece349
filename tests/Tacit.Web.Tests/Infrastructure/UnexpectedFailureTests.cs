using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Tacit.Web.Features.Demo;

namespace Tacit.Web.Tests.Infrastructure;

/// <summary>
/// An unexpected failure in the API answers 500 with problem details that say nothing of its cause, and the cause is in
/// the server's log (ASP.NET Core 10 no longer logs what an exception handler answered, unless told). The same whatever
/// the database, so one app will do.
/// </summary>
public sealed class UnexpectedFailureTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task A_500_says_nothing_of_its_cause_and_the_log_has_it()
    {
        using var failing = app.WithWebHostBuilder(host => host.ConfigureTestServices(services =>
            services.AddScoped<DemoAvailability>(_ => throw new InvalidOperationException("The secret cause"))));
        var response = await failing.CreateClient().GetAsync("/api/demo");

        var problem = await response.ReadAsync<JsonElement>(HttpStatusCode.InternalServerError);
        Assert.Equal("Tacit could not finish this request.", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("secret", problem.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(app.ServerErrors.All, e => e.Contains("The secret cause", StringComparison.Ordinal));
    }
}
