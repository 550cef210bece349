using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tacit.Domain.Cycles;
using Tacit.Domain.People;
using Tacit.Domain.Skills;
using Tacit.Web.Data;
using Tacit.Web.Features.Cycles;
using Tacit.Web.Tenancy;

namespace Tacit.Testing;

/// <summary>
/// "A published cycle with offers", built through the app's own use cases for one organisation: people who can sign in
/// (<c>name@slug.example</c>, password <see cref="Password"/>), what they share and want, then a cycle of everyone taken
/// through enrolment, the intake and the map to a match run and published offers. It works on any service provider
/// made by <c>AddTacitCore</c>: a test app's, or the browser tests' side host on the served database.
/// </summary>
public sealed class CycleScenario(IServiceProvider services, Guid organisationId)
{
    public const string Password = "correct-horse-battery";

    private readonly List<Func<Seeding, Task>> _seeds = [];

    /// <summary>Someone who can sign in; <paramref name="name"/> is their email's local part and, unless given, their display name.</summary>
    public CycleScenario Person(string name, string department, string? displayName = null, string? manager = null, int level = 4, string timeZone = "UTC")
    {
        _seeds.Add(async s =>
        {
            var person = new Person(organisationId, $"{name}@{s.Slug}.example", displayName ?? name, s.Now);
            person.UpdateProfile(displayName ?? name, "Analyst", department, level, null, timeZone, null);
            person.AssignManager(manager is null ? null : s.People[manager]);
            s.Db.People.Add(person);
            await s.Db.SaveChangesAsync();
            var user = new TacitUser { UserName = person.Email, Email = person.Email, OrganisationId = organisationId, PersonId = person.Id, EmailConfirmed = true };
            var created = await s.Users.CreateAsync(user, Password);
            if (!created.Succeeded) throw new InvalidOperationException(string.Join(", ", created.Errors.Select(e => e.Description)));
            s.People[name] = person.Id;
        });
        return this;
    }

    /// <summary>A person offers to share a skill of the catalogue: one-to-one, or in groups when <paramref name="maxGroupSize"/> is above one.</summary>
    public CycleScenario Shares(string person, string skill, int sessions = 1, int maxGroupSize = 1, int level = 4)
    {
        _seeds.Add(async s => s.Db.Shares.Add(new Share(organisationId, s.People[person], await s.SkillAsync(skill), level, sessions, maxGroupSize > 1, maxGroupSize, s.Now)));
        return this;
    }

    public CycleScenario Wants(string person, string skill, Priority priority = Priority.High, string? why = null)
    {
        _seeds.Add(async s => s.Db.Wants.Add(new Want(organisationId, s.People[person], await s.SkillAsync(skill), priority, why, null, s.Now)));
        return this;
    }

    /// <summary>Stores the people, shares and wants given so far, in order; their ids by name, and the skills' by name.</summary>
    public async Task<ScenarioPeople> SeedAsync()
    {
        var seeded = await InOrganisationAsync(async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            var slug = await db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Slug).SingleAsync();
            var seeding = new Seeding(db, sp.GetRequiredService<UserManager<TacitUser>>(), slug, sp.GetRequiredService<TimeProvider>().GetUtcNow());
            foreach (var seed in _seeds) await seed(seeding);
            await db.SaveChangesAsync();
            return seeding;
        });
        _seeds.Clear();
        return new ScenarioPeople(seeded.Slug, seeded.People, seeded.Skills);
    }

    /// <summary>
    /// A cycle of everyone (its intake open since yesterday for ten days), taken through the real steps as far as
    /// <paramref name="state"/>: <see cref="CycleState.Draft"/>, <see cref="CycleState.Enrolment"/>,
    /// <see cref="CycleState.Intake"/> or <see cref="CycleState.Mapped"/>; everyone taking part is told as on the pages.
    /// People given and not yet seeded are seeded first.
    /// </summary>
    public async Task<Guid> CycleAsync(CycleState state, string name = "Spring")
    {
        if (state > CycleState.Mapped) throw new ArgumentOutOfRangeException(nameof(state), state, "Matched and later: use PublishedCycleAsync.");
        if (_seeds.Count > 0) await SeedAsync();
        return await InOrganisationAsync(sp => StartCycleAsync(sp, state, name));
    }

    private async Task<Guid> StartCycleAsync(IServiceProvider sp, CycleState state, string name)
    {
        var db = sp.GetRequiredService<TacitDbContext>();
        var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var cycle = new Cycle(organisationId, name, today.AddDays(-1), today.AddDays(10), today.AddDays(11), null, null, now);
        db.Cycles.Add(cycle);
        await db.SaveChangesAsync();
        if (state >= CycleState.Enrolment) await sp.GetRequiredService<Enrolment>().StartAsync(cycle.Id);
        if (state >= CycleState.Intake) await sp.GetRequiredService<Intake>().OpenAsync(cycle.Id);
        if (state >= CycleState.Mapped)
        {
            cycle.PublishMap(now);
            await db.SaveChangesAsync();
        }
        return cycle.Id;
    }

    /// <summary>A cycle taken to its map, matched with the default weights, and published: every proposal is now a pending offer.</summary>
    public async Task<PublishedCycle> PublishedCycleAsync(string name = "Spring") => await PublishAsync(await CycleAsync(CycleState.Mapped, name));

    /// <summary>A cycle in its intake or mapped: its map published (closing the intake), matched with the default weights, and published.</summary>
    public async Task<PublishedCycle> PublishAsync(Guid cycleId)
    {
        await InOrganisationAsync(async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            var cycle = await db.Cycles.SingleAsync(c => c.Id == cycleId);
            if (cycle.State == CycleState.Intake) cycle.PublishMap(sp.GetRequiredService<TimeProvider>().GetUtcNow());
            return await db.SaveChangesAsync();
        });
        var runId = await InOrganisationAsync(async sp => (await sp.GetRequiredService<MatchRuns>().StartAsync(cycleId, new MatchWeights(), Guid.Empty)).Id);
        await MatchAsync(runId);
        await InOrganisationAsync(sp => sp.GetRequiredService<MatchRuns>().PublishAsync(cycleId, runId));
        return new PublishedCycle(cycleId, runId);
    }

    /// <summary>
    /// Does the queued run here, as the app's background worker would; where an app's own worker claimed it first,
    /// waits for that one to finish.
    /// </summary>
    private async Task MatchAsync(Guid runId)
    {
        using (var worker = ActivatorUtilities.CreateInstance<MatchRunWorker>(services))
            while (await worker.RunNextAsync(CancellationToken.None)) { }
        MatchRun? run = null;
        await Poll.UntilAsync(async () => (run = await InOrganisationAsync(sp => sp.GetRequiredService<TacitDbContext>().MatchRuns.AsNoTracking()
            .SingleAsync(r => r.Id == runId))).Status is MatchRunStatus.Succeeded or MatchRunStatus.Failed, "The match run");
        if (run!.Status != MatchRunStatus.Succeeded) throw new InvalidOperationException($"The match run failed: {run.Error}");
    }

    private async Task<T> InOrganisationAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(organisationId);
        return await action(scope.ServiceProvider);
    }

    /// <summary>What the seeds share while they run: one scope's context, and the ids made so far.</summary>
    private sealed record Seeding(TacitDbContext Db, UserManager<TacitUser> Users, string Slug, DateTimeOffset Now)
    {
        public Dictionary<string, Guid> People { get; } = [];
        public Dictionary<string, Guid> Skills { get; } = [];

        public async Task<Guid> SkillAsync(string name)
        {
            if (!Skills.TryGetValue(name, out var id)) Skills[name] = id = await Db.Skills.Where(s => s.Name == name).Select(s => s.Id).SingleAsync();
            return id;
        }
    }
}

/// <summary>The people a <see cref="CycleScenario"/> stored, by name, and the skills it named.</summary>
public sealed record ScenarioPeople(string Slug, IReadOnlyDictionary<string, Guid> People, IReadOnlyDictionary<string, Guid> Skills)
{
    public Guid this[string name] => People[name];

    public string Email(string name) => $"{name}@{Slug}.example";

    public string NameOf(Guid personId) => People.Single(p => p.Value == personId).Key;
}

public sealed record PublishedCycle(Guid Id, Guid RunId);
