using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tacit.Bench.People;
using Tacit.Domain.Cycles;
using Tacit.Web.Data;
using Tacit.Web.Features.Cycles;
using Tacit.Web.Tenancy;

namespace Tacit.Bench.Cycles;

/// <summary>
/// An intake answer from every participant of an open intake, written straight into the database: 100,000 answers
/// through the API would take the benchmark many minutes. They are answers as the intake stores them, with barriers
/// drawn at random but no availability (free at any time) and the default session limits, so the engine's problem is
/// the same as without them. What they add is real work elsewhere: the match job reads them and the cycle's pages
/// count them (docs/benchmarks.md ¹⁵).
/// </summary>
internal static class IntakeAnswersSeed
{
    public static async Task<int> WriteAsync(Guid cycleId)
    {
        using var host = await BenchHost.StartAsync();
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TacitDbContext>();
        // The benchmark knows the cycle, not its organisation; every read after this one is the organisation's alone.
        var organisationId = await db.Cycles.IgnoreQueryFilters().Where(c => c.Id == cycleId).Select(c => c.OrganisationId).SingleAsync();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(organisationId);
        var cycle = await db.Cycles.AsNoTracking().SingleAsync(c => c.Id == cycleId);
        var participants = await Participants.Of(db, cycle).Select(p => new { p.Id, p.Department }).ToListAsync();
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var random = new Random(7);
        var noAnswers = new Dictionary<Guid, IReadOnlyList<string>>();
        var responses = participants.Select(p =>
        {
            var response = new IntakeResponse(organisationId, cycleId, p.Id, p.Department, now);
            response.Answer(cycle, today, IntakeResponse.DefaultLearnerSessions, (IntakeBarrier)random.Next(32), null, null, "Europe/London", [], noAnswers, now);
            return response;
        });
        await db.InsertAsync(responses, CancellationToken.None);
        return participants.Count;
    }
}
