using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Tacit.Domain;
using Tacit.Domain.Cycles;
using Tacit.Domain.People;
using Tacit.Web.Data;
using Tacit.Web.Features.Cycles;
using Tacit.Web.Features.Demo;
using Tacit.Web.Features.Organisations;
using Tacit.Web.Features.People;
using Tacit.Web.Features.Settings;
using Tacit.Web.Infrastructure;
using Tacit.Web.Tenancy;

namespace Tacit.Cli;

/// <summary>
/// Operator tasks without a browser. They use the web app's own use cases and configuration, so a demo
/// loaded here is the demo the web app shows.
/// </summary>
public static class OperatorCommands
{
    public static Command Demo()
    {
        var load = new Command("load", "Load the demo organisation (unless it is already loaded) and print its sign-in details.");
        load.SetAction((_, ct) => RunAsync(async services =>
        {
            // A server that no longer offers the demo shows its credentials nowhere, here included.
            await services.GetRequiredService<DemoAvailability>().RequireOfferedAsync(ct);
            var loader = services.GetRequiredService<DemoOrganisationLoader>();
            if (await loader.ExistsAsync(ct))
            {
                Console.WriteLine("The demo organisation is already loaded.");
            }
            else
            {
                var created = await loader.LoadAsync(ct);
                Console.WriteLine($"Loaded the demo organisation '{created.Organisation.Name}' (/{created.Organisation.Slug}).");
            }
            Console.WriteLine($"Admin and facilitator: {DemoOrganisationLoader.AdminEmail}  password: {DemoOrganisationLoader.AdminPassword}");
            Console.WriteLine($"Member:                {DemoOrganisationLoader.MemberEmail}  password: {DemoOrganisationLoader.MemberPassword}");
        }));
        return new Command("demo", "The demo organisation.") { load };
    }

    public static Command Organisation()
    {
        var name = new Option<string>("--name") { Description = "The organisation's name.", Required = true };
        var slug = new Option<string>("--slug") { Description = "Its URL name: lower-case letters, digits and hyphens.", Required = true };
        var email = new Option<string>("--admin-email") { Description = "The first admin's email.", Required = true };
        var adminName = new Option<string?>("--admin-name") { Description = "The first admin's name (defaults to the part of the email before @)." };
        var create = new Command("create", "Create an organisation and its first admin, and print the admin's invitation link.") { name, slug, email, adminName };
        create.SetAction((result, ct) => RunAsync(async services =>
        {
            var adminEmail = result.GetValue(email)!;
            // One transaction for the organisation, its admin and the invitation: no organisation without its invitation.
            await using var transaction = await services.GetRequiredService<TacitDbContext>().Database.BeginTransactionAsync(ct);
            var created = await services.GetRequiredService<CreateOrganisationHandler>().HandleAsync(new CreateOrganisation(
                result.GetValue(name)!, result.GetValue(slug)!, result.GetValue(adminName) ?? adminEmail.Split('@')[0], adminEmail, AdminPassword: null), ct);
            var link = await services.GetRequiredService<InvitePersonHandler>().InviteAsync(created.Admin.Id, ct);
            await transaction.CommitAsync(ct);
            Console.WriteLine($"Created '{created.Organisation.Name}' (/{created.Organisation.Slug}) with admin {created.Admin.Email}.");
            Console.WriteLine($"The admin sets a password here: {link} (the running server emails it too)");
        }));
        return new Command("org", "Organisations.") { create };
    }

    public static Command Token()
    {
        var org = new Option<string>("--org") { Description = "The organisation's URL name.", Required = true };
        var role = new Option<string>("--role") { Description = "member, facilitator, admin, or scim (a token for SCIM provisioning at /scim/v2 only).", Required = true };
        var label = new Option<string>("--name") { Description = "What the token is for.", DefaultValueFactory = _ => "created with the tacit command" };
        var create = new Command("create", "Create an API token for an organisation and print it (only its hash is stored).") { org, role, label };
        create.SetAction((result, ct) => RunAsync(async services =>
        {
            _ = ApiTokenService.ParseRole(result.GetValue(role)); // a wrong role is told before a wrong organisation
            var organisation = await OrganisationAsync(services, result.GetValue(org)!, ct);
            services.GetRequiredService<TenantContext>().Use(organisation.Id);
            var (_, secret) = await services.GetRequiredService<ApiTokenService>().CreateAsync(organisation.Id, result.GetValue(label), result.GetValue(role), ct);
            Console.WriteLine(secret);
        }));
        return new Command("token", "API tokens for integrations.") { create };
    }

    public static Command LrsCredentials()
    {
        var org = new Option<string>("--org") { Description = "The organisation's URL name.", Required = true };
        var label = new Option<string>("--name") { Description = "What the credential is for.", Required = true };
        var create = new Command("create", "Create an HTTP Basic credential for the organisation's learning record store (/xapi) and print its key and secret (only the secret's hash is stored).") { org, label };
        create.SetAction((result, ct) => RunAsync(async services =>
        {
            var organisation = await OrganisationAsync(services, result.GetValue(org)!, ct);
            services.GetRequiredService<TenantContext>().Use(organisation.Id);
            var (credential, secret) = await services.GetRequiredService<Tacit.Web.Features.Xapi.LrsCredentials>().CreateAsync(organisation.Id, result.GetValue(label), ct);
            Console.WriteLine($"{credential.Key} {secret}");
        }));
        return new Command("lrs-credentials", "Credentials for the learning record store (xAPI).") { create };
    }

    public static Command Cycle()
    {
        var org = new Option<string>("--org") { Description = "The organisation's URL name.", Required = true };
        var cycleOption = new Option<Guid?>("--cycle")
        {
            Description = "The cycle's id (default: the organisation's most recently created cycle).",
            // The default parser's message names the CLR type (System.Nullable`1[System.Guid]); say what is expected instead.
            CustomParser = argument =>
            {
                string value = argument.Tokens.Single().Value;
                if (Guid.TryParse(value, out var id)) return id;
                argument.AddError($"--cycle: '{value}' is not a cycle id (ids look like 01a24e35-63c4-70c7-9253-45056bbc7971).");
                return null;
            },
        };
        var outOption = new Option<FileInfo?>("--out") { Description = "Where to write the instance JSON (default: standard output)." };
        var instance = new Command("instance",
            "Write the matching instance a match run of the cycle would solve now, for `tacit match`: its people, shares, wants, last cycle's pairs "
            + "and the settings of its latest run. The facilitator's pins and excluded pairs are not part of it (the match job applies them around the engine).")
        {
            org, cycleOption, outOption,
        };
        instance.SetAction((result, ct) => RunAsync(async services =>
        {
            // Before any work: an --out that cannot be written fails at once.
            using var outFile = result.GetValue(outOption) is { } path ? OutputFile.Create(path.FullName, "--out") : null;
            var organisation = await OrganisationAsync(services, result.GetValue(org)!, ct);
            services.GetRequiredService<TenantContext>().Use(organisation.Id);
            var db = services.GetRequiredService<TacitDbContext>();
            // The tenant filter keeps another organisation's cycle out of reach: its id is "not found" here.
            var cycles = db.Cycles.AsNoTracking();
            var cycle = result.GetValue(cycleOption) is { } id
                ? await cycles.SingleOrDefaultAsync(c => c.Id == id, ct) ?? throw new DomainException($"The organisation '{organisation.Slug}' has no cycle {id}.")
                : await cycles.OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(ct) ?? throw new DomainException($"The organisation '{organisation.Slug}' has no cycle yet.");
            var weights = await db.MatchRuns.AsNoTracking().Where(r => r.CycleId == cycle.Id).OrderByDescending(r => r.Number)
                .Select(r => r.Weights).FirstOrDefaultAsync(ct) ?? new MatchWeights();
            var input = await services.GetRequiredService<MatchInputReader>().ReadAsync(cycle, weights, ct);
            string json = Tacit.Matching.PlanJson.Serialize(input.Instance);
            if (outFile is null)
            {
                await Console.Out.WriteAsync(json);
            }
            else
            {
                await outFile.Stream.WriteAsync(new System.Text.UTF8Encoding(false).GetBytes(json), ct);
                outFile.Commit();
            }
            await Console.Error.WriteLineAsync($"wrote the instance of cycle '{cycle.Name}' ({cycle.Id}){(outFile is null ? "" : " to " + outFile.Path)}: "
                + $"{input.Instance.People.Count:N0} people, {input.Instance.Shares.Count:N0} shares, {input.Instance.Wants.Count:N0} wants; "
                + $"not in it: {input.Pins.Count} pins and {input.Excluded.Count} excluded pairs");
        }));
        return new Command("cycle", "Learning cycles.") { instance };
    }

    private static async Task<Tacit.Domain.Organisations.Organisation> OrganisationAsync(IServiceProvider services, string slug, CancellationToken ct)
    {
        var slugValue = slug.Trim().ToLowerInvariant();
        return await services.GetRequiredService<TacitDbContext>().Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Slug == slugValue, ct)
            ?? throw new DomainException($"There is no organisation with the URL name '{slugValue}'.");
    }

    /// <summary>
    /// Builds the app's services on the configured database, brings the schema up to date, and runs one task. Every log goes
    /// to standard error, so standard output carries only the task's result; a <see cref="DomainException"/> is bad input
    /// (<see cref="TacitCli.RunAsync"/> prints it and exits with 2).
    /// </summary>
    private static async Task<int> RunAsync(Func<IServiceProvider, Task> task)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Error);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddTacitCore(builder.Configuration);
        using var host = builder.Build();
        await DatabaseSetup.MigrateAsync(host.Services);
        await using var scope = host.Services.CreateAsyncScope();
        await task(scope.ServiceProvider);
        return 0;
    }
}
