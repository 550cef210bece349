using CsCheck;
using Tacit.Domain.People;

namespace Tacit.Domain.Tests;

public class ManagerChainTests
{
    [Fact]
    public void Detects_direct_and_indirect_loops()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), c = Guid.NewGuid();
        var managerOf = new Dictionary<Guid, Guid?> { [a] = null, [b] = a, [c] = b };
        Assert.True(ManagerChain.WouldCreateCycle(a, c, managerOf));
        Assert.True(ManagerChain.WouldCreateCycle(a, a, managerOf));
        Assert.False(ManagerChain.WouldCreateCycle(c, a, managerOf));
        Assert.False(ManagerChain.WouldCreateCycle(a, null, managerOf));
    }

    [Fact]
    public void Agrees_with_a_walk_of_the_whole_tree_on_random_organisations()
    {
        // A random forest: person i reports to someone before them, or to nobody.
        Gen.Int[2, 40].SelectMany(n => Gen.Select(Gen.Int[0, n].Array[n], Gen.Int[0, n - 1], Gen.Int[0, n - 1], (parents, x, y) => (n, parents, x, y)))
            .Sample(t =>
            {
                var (n, parents, person, manager) = t;
                var ids = Enumerable.Range(0, n).Select(_ => Guid.NewGuid()).ToArray();
                var managerOf = ids.Select((id, i) => (id, parent: parents[i] < i ? (Guid?)ids[parents[i]] : null)).ToDictionary(x => x.id, x => x.parent);
                var managedByPerson = new HashSet<Guid>();
                var changed = true;
                managedByPerson.Add(ids[person]);
                while (changed)
                {
                    changed = false;
                    foreach (var (id, parent) in managerOf)
                        if (parent is { } p && managedByPerson.Contains(p) && managedByPerson.Add(id)) changed = true;
                }
                // A loop appears exactly when the new manager is the person or someone below them.
                Assert.Equal(managedByPerson.Contains(ids[manager]), ManagerChain.WouldCreateCycle(ids[person], ids[manager], managerOf));
            });
    }
}
