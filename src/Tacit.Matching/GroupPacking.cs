namespace Tacit.Matching;

/// <summary>A share whose learners (its wants, in plan order) cannot be packed into allowed groups.</summary>
internal readonly record struct UnpackedShare(int Share, int[] Wants);

/// <summary>Thrown by the plan builder when shares' learners cannot be packed into allowed groups (all such shares of the plan, in share order); <see cref="Matcher"/> then cuts them all at once.</summary>
internal sealed class GroupPackingException(List<UnpackedShare> shares, LexicographicValue relaxation) : Exception($"{shares.Count} share(s) cannot pack their learners into allowed groups")
{
    public List<UnpackedShare> Shares { get; } = shares;
    /// <summary>The value of the flow that could not be packed: the relaxation's optimum when it is the first solve.</summary>
    public LexicographicValue Relaxation { get; } = relaxation;
}

/// <summary>
/// The objective's three levels (docs/matching.md, "Objective"): learners who earn the first-session bonus, priority
/// weight met, pair scores minus group penalties. Ordered lexicographically.
/// </summary>
internal readonly record struct LexicographicValue(int Served, long PriorityWeight, long NetScore) : IComparable<LexicographicValue>
{
    public int CompareTo(LexicographicValue other) => (Served, PriorityWeight, NetScore).CompareTo((other.Served, other.PriorityWeight, other.NetScore));
}

/// <summary>
/// Packs one share's learners into sessions whose groups are allowed: no two members where one is the other's manager
/// (anyone above or below in the chain with the whole-chain rule) and, with hard availability, an hour common to the
/// teacher and every member. A depth-first search over the learners in their plan order; deterministic.
/// </summary>
internal static class GroupPacking
{
    /// <summary>Search steps before giving up on one share (a share has at most sessions × groupSize learners, usually a handful).</summary>
    private const int StepLimit = 200_000;

    public static bool Allowed(CompiledInstance instance, ReadOnlySpan<int> teacherThenLearners)
    {
        for (int i = 1; i < teacherThenLearners.Length; i++)
            for (int j = i + 1; j < teacherThenLearners.Length; j++)
                if (!instance.MayShareGroup(teacherThenLearners[i], teacherThenLearners[j])) return false;
        return !instance.HardAvailability || HaveCommonHour(instance, teacherThenLearners);
    }

    private static bool HaveCommonHour(CompiledInstance instance, ReadOnlySpan<int> people)
    {
        ulong a = ulong.MaxValue, b = ulong.MaxValue, c = ulong.MaxValue;
        foreach (int p in people)
        {
            int m = instance.PersonMask[p] * CompiledInstance.MaskWords;
            a &= instance.MaskBits[m];
            b &= instance.MaskBits[m + 1];
            c &= instance.MaskBits[m + 2];
        }
        return (a | b | c) != 0;
    }

    /// <summary>
    /// Finds sessions (at most <paramref name="sessions"/>, groups of at most <paramref name="groupSize"/>) for all the
    /// learners of <paramref name="wants"/>; on success reorders <paramref name="wants"/> so that each session is a run
    /// of consecutive entries and sets <paramref name="parts"/> to the run lengths (one-to-one first).
    /// </summary>
    public static bool Pack(CompiledInstance instance, int share, List<int> wants, int sessions, int groupSize, List<int> parts)
    {
        int n = wants.Count;
        int teacher = instance.ShareTeacher[share];
        var members = new List<List<int>>(); // per session: indices into wants
        int steps = 0;

        bool Place(int i)
        {
            if (++steps > StepLimit) return false;
            if (i == n) return true;
            // Capacity left: free places in open sessions that can still grow plus new sessions.
            long room = (long)(sessions - members.Count) * groupSize;
            foreach (var m in members) room += groupSize - m.Count;
            if (room < n - i) return false;
            // Open a new session while there are sessions left (one-to-one first), else join an allowed one.
            if (members.Count < sessions)
            {
                members.Add([i]);
                if (Place(i + 1)) return true;
                members.RemoveAt(members.Count - 1);
                if (steps > StepLimit) return false;
            }
            for (int s = 0; s < members.Count; s++)
            {
                var m = members[s];
                if (m.Count >= groupSize || !Fits(m, i)) continue;
                m.Add(i);
                if (Place(i + 1)) return true;
                m.RemoveAt(m.Count - 1);
                if (steps > StepLimit) return false;
            }
            return false;
        }

        bool Fits(List<int> group, int candidate)
        {
            Span<int> people = stackalloc int[group.Count + 2];
            people[0] = teacher;
            for (int j = 0; j < group.Count; j++) people[j + 1] = instance.WantLearner[wants[group[j]]];
            people[^1] = instance.WantLearner[wants[candidate]];
            return Allowed(instance, people);
        }

        if (!Place(0)) return false;
        // One-to-one sessions first (in plan order), then the groups; each session's learners in plan order.
        var order = members.OrderBy(m => m.Count > 1 ? 1 : 0).ThenBy(m => m[0]).ToList();
        var reordered = new List<int>(n);
        parts.Clear();
        foreach (var m in order)
        {
            foreach (int i in m) reordered.Add(wants[i]);
            parts.Add(m.Count);
        }
        wants.Clear();
        wants.AddRange(reordered);
        return true;
    }
}
