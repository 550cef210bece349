using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Tacit.Web.Features.Organisations;
using Tacit.Web.Features.People;
using Tacit.Web.Tenancy;

namespace Tacit.Bench.People;

/// <summary>Times the people CSV import (preview, then commit) of N rows with a reporting tree, into a new organisation.</summary>
internal static class ImportBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = int.Parse(BenchHost.Option(args, "--rows", "10000"), CultureInfo.InvariantCulture);
        using var host = await BenchHost.StartAsync();
        var slug = $"import-bench-{Guid.NewGuid():N}"[..30];
        Guid organisationId;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<CreateOrganisationHandler>()
                .HandleAsync(new CreateOrganisation("Import bench", slug, "Bench Admin", $"admin@{slug}.example", "bench-password-1"));
            organisationId = created.Organisation.Id;
        }
        var csv = Csv(rows);
        Console.WriteLine($"CSV import benchmark: {rows:N0} rows, {Encoding.UTF8.GetByteCount(csv) / 1024.0:N0} KiB, provider {host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Database:Provider"] ?? "Sqlite"}");

        await using var run = host.Services.CreateAsyncScope();
        run.ServiceProvider.GetRequiredService<TenantContext>().Use(organisationId);
        var importer = run.ServiceProvider.GetRequiredService<PeopleImporter>();
        var clock = Stopwatch.StartNew();
        var preview = await importer.PreviewAsync(csv);
        var previewTime = clock.Elapsed;
        if (!preview.CanCommit) throw new InvalidOperationException($"The generated file has {preview.RejectedCount} bad rows.");
        clock.Restart();
        var (added, updated, _) = await importer.CommitAsync(organisationId, csv);
        var commitTime = clock.Elapsed;
        Console.WriteLine($"preview  {previewTime.TotalSeconds,6:N2} s");
        Console.WriteLine($"commit   {commitTime.TotalSeconds,6:N2} s   ({added:N0} added, {updated:N0} updated; preview and commit each validate the whole file)");
        Console.WriteLine($"total    {(previewTime + commitTime).TotalSeconds,6:N2} s   target: under 10 s");
        Console.WriteLine($"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024:N0} MiB");
        return previewTime + commitTime < TimeSpan.FromSeconds(10) ? 0 : 1;
    }

    /// <summary>A reporting tree ten wide: person i reports to person (i - 1) / 10.</summary>
    private static string Csv(int rows)
    {
        var departments = new[] { "Finance", "Sales", "Marketing", "Engineering", "Operations", "People", "Legal", "Product" };
        var text = new StringBuilder("name,email,department,title,level,manager_email\n");
        for (var i = 0; i < rows; i++)
        {
            var manager = i == 0 ? "" : $"person{(i - 1) / 10}@bench.example";
            text.Append(CultureInfo.InvariantCulture, $"Person {i},person{i}@bench.example,{departments[i % departments.Length]},Specialist,{1 + i % 10},{manager}\n");
        }
        return text.ToString();
    }
}
