using CsCheck;
using Tacit.Domain.Cycles;

namespace Tacit.Domain.Tests.Cycles;

public class RunChangesTests
{
    private static readonly Guid[] People = [.. Enumerable.Range(1, 6).Select(i => new Guid(i, 0, 0, new byte[8]))];
    private static readonly Guid[] Skills = [.. Enumerable.Range(1, 3).Select(i => new Guid(0, (short)i, 0, new byte[8]))];

    private static readonly Gen<ProposedPair> Pair =
        Gen.Select(Gen.Int[0, People.Length - 1], Gen.Int[0, People.Length - 1], Gen.Int[0, Skills.Length - 1],
            (l, t, s) => new ProposedPair(People[l], People[t], Skills[s]));

    [Fact]
    public void A_teacher_swapped_for_one_learner_is_one_pair_added_and_one_removed()
    {
        var (ana, ben, cleo, skill) = (People[0], People[1], People[2], Skills[0]);
        var changes = RunChanges.Between([new(ana, ben, skill), new(cleo, ben, skill)], [new(ana, cleo, skill), new(cleo, ben, skill)]);
        Assert.Equal([new ProposedPair(ana, cleo, skill)], changes.Added);
        Assert.Equal([new ProposedPair(ana, ben, skill)], changes.Removed);
        Assert.Equal(1, changes.Kept);
    }

    [Fact]
    public void Added_removed_and_kept_account_for_every_pair_of_both_runs() =>
        Gen.Select(Pair.List[0, 30], Pair.List[0, 30]).Sample((earlier, later) =>
        {
            var changes = RunChanges.Between(earlier, later);
            var before = earlier.ToHashSet();
            var after = later.ToHashSet();
            return changes.Added.Count + changes.Kept == after.Count
                && changes.Removed.Count + changes.Kept == before.Count
                && changes.Added.All(p => after.Contains(p) && !before.Contains(p))
                && changes.Removed.All(p => before.Contains(p) && !after.Contains(p))
                && RunChanges.Between(later, earlier) is var back && back.Added.ToHashSet().SetEquals(changes.Removed) && back.Kept == changes.Kept;
        });
}
