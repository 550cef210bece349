namespace Tacit.Domain.People;

/// <summary>Checks reporting lines: a manager assignment must never make someone their own (indirect) manager.</summary>
public static class ManagerChain
{
    /// <summary>True when making <paramref name="managerId"/> the manager of <paramref name="personId"/> closes a loop.</summary>
    public static bool WouldCreateCycle(Guid personId, Guid? managerId, IReadOnlyDictionary<Guid, Guid?> managerOf)
    {
        var seen = new HashSet<Guid>();
        for (var current = managerId; current is { } id; current = managerOf.GetValueOrDefault(id))
        {
            if (id == personId) return true;
            if (!seen.Add(id)) return true;
        }
        return false;
    }
}
