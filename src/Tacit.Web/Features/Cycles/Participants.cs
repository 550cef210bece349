using Tacit.Domain.Cycles;
using Tacit.Domain.People;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Cycles;

/// <summary>Who takes part in a cycle: active people of its departments, or everyone.</summary>
public static class Participants
{
    public static IQueryable<Person> Of(TacitDbContext db, Cycle cycle)
    {
        var people = db.People.Where(p => p.IsActive);
        if (cycle.IncludesEveryone) return people;
        var departments = cycle.Departments.Select(d => d.ToLowerInvariant()).ToList();
        return people.Where(p => departments.Contains(p.Department.ToLower()));
    }
}
