namespace Tacit.Web.Features.People;

/// <summary>What the directory shows and searches of one person: a row of <c>People</c>, nothing else.</summary>
public sealed record DirectoryEntry(Guid Id, string DisplayName, string JobTitle, string Department, string Location, string SearchText, bool IsActive)
{
    private string[]? _words;

    /// <summary>The distinct words of the search text (letters and digits), which a typed word must start.</summary>
    internal string[] Words => _words ??= DirectoryWords.Split(SearchText);

    /// <summary>A copy made with <c>with</c> splits its own search text again.</summary>
    private DirectoryEntry(DirectoryEntry original) =>
        (Id, DisplayName, JobTitle, Department, Location, SearchText, IsActive) =
        (original.Id, original.DisplayName, original.JobTitle, original.Department, original.Location, original.SearchText, original.IsActive);

    public PersonSummary Summary() => new(Id, DisplayName, JobTitle, Department, Location, IsActive);

    /// <summary>Equal when the person's row is: the words follow from the search text.</summary>
    public bool Equals(DirectoryEntry? other) => other is not null
        && (Id, DisplayName, JobTitle, Department, Location, SearchText, IsActive) == (other.Id, other.DisplayName, other.JobTitle, other.Department, other.Location, other.SearchText, other.IsActive);

    public override int GetHashCode() => HashCode.Combine(Id, DisplayName, SearchText, IsActive);
}

/// <summary>A directory search: the typed text, a department, the people who share a skill, and whether to include deactivated people.</summary>
public sealed record DirectorySearch(string? Query, string? Department, IReadOnlySet<Guid>? SharesSkill, bool IncludeInactive);

/// <summary>How the directory splits text into words: runs of letters and digits, lower-cased ("O'Brien" is "o" and "brien").</summary>
public static class DirectoryWords
{
    public static string[] Split(string text)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }
        return [.. words];
    }
}

/// <summary>
/// One organisation's directory, held in memory so that a search costs microseconds instead of a database query over
/// thousands of rows: everyone in name order, and every word of their names, titles and emails with the people it
/// belongs to. A typed word finds the people with a word starting with it ("ben" finds Ben and "Benefits adviser",
/// not Reuben); a term with "@" or "." is looked for anywhere in the text, as part of an email. Immutable: a change
/// makes a new snapshot (see <see cref="DirectoryIndex"/>), so searches never lock.
/// </summary>
public sealed class DirectorySnapshot
{
    private static readonly Comparison<DirectoryEntry> NameOrder = (a, b) =>
    {
        var byName = string.CompareOrdinal(a.DisplayName, b.DisplayName);
        return byName != 0 ? byName : a.Id.CompareTo(b.Id);
    };

    /// <summary>Everyone, in name order; a person's position here is their number in the word lists.</summary>
    private readonly DirectoryEntry[] _people;
    /// <summary>Every distinct word, in ordinal order, so that the words starting with a prefix are one range.</summary>
    private readonly string[] _words;
    /// <summary>For each word, the numbers of the people whose text has it, ascending.</summary>
    private readonly int[][] _peopleWithWord;
    private readonly Dictionary<Guid, DirectoryEntry> _byId;

    public static DirectorySnapshot Empty { get; } = new([]);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private DirectorySnapshot(DirectoryEntry[] peopleInNameOrder)
    {
        _people = peopleInNameOrder;
        var byWord = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var number = 0; number < _people.Length; number++)
            foreach (var word in _people[number].Words)
            {
                if (!byWord.TryGetValue(word, out var numbers)) byWord[word] = numbers = [];
                numbers.Add(number);
            }
        _words = [.. byWord.Keys];
        Array.Sort(_words, StringComparer.Ordinal);
        _peopleWithWord = [.. _words.Select(word => byWord[word].ToArray())];
        (_byId, Departments) = Lookups(_people);
    }

    private DirectorySnapshot(DirectoryEntry[] peopleInNameOrder, string[] words, int[][] peopleWithWord)
    {
        (_people, _words, _peopleWithWord) = (peopleInNameOrder, words, peopleWithWord);
        (_byId, Departments) = Lookups(_people);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static (Dictionary<Guid, DirectoryEntry>, IReadOnlyList<string>) Lookups(DirectoryEntry[] people)
    {
        var byId = new Dictionary<Guid, DirectoryEntry>(people.Length);
        var departments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var person in people)
        {
            byId.Add(person.Id, person);
            if (person.Department.Length > 0) departments.Add(person.Department);
        }
        return (byId, [.. departments.Order(StringComparer.Ordinal)]);
    }

    public int Count => _people.Length;

    /// <summary>Every department someone is in, in order, for the directory's filter.</summary>
    public IReadOnlyList<string> Departments { get; }

    public static DirectorySnapshot Of(IEnumerable<DirectoryEntry> people)
    {
        var inOrder = people.DistinctBy(p => p.Id).ToArray();
        Array.Sort(inOrder, NameOrder);
        return new DirectorySnapshot(inOrder);
    }

    /// <summary>
    /// This directory with the given people added or replaced (matched by id). A few changes (someone edited their
    /// profile) are merged into the existing lists, which keeps a 100,000-person directory's update to milliseconds;
    /// many are built afresh.
    /// </summary>
    // Called now and then with 100,000 people: compiled optimised at once rather than left in the first, slow tier.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public DirectorySnapshot With(IReadOnlyCollection<DirectoryEntry> changed)
    {
        if (changed.Count == 0) return this;
        var ids = changed.Select(p => p.Id).ToHashSet();
        if (changed.Count > 64 + _people.Length / 100) return Of(_people.Where(p => !ids.Contains(p.Id)).Concat(changed));

        // Everyone unchanged keeps their order; the changed are merged in. Old numbers map to new ones (-1: replaced).
        var added = changed.DistinctBy(p => p.Id).ToArray();
        Array.Sort(added, NameOrder);
        var kept = _people.Length - ids.Count(_byId.ContainsKey);
        var people = new DirectoryEntry[kept + added.Length];
        var newNumber = new int[_people.Length];
        var addedNumbers = new int[added.Length];
        int old = 0, next = 0, count = 0;
        while (old < _people.Length || next < added.Length)
        {
            if (old < _people.Length && ids.Contains(_people[old].Id))
            {
                newNumber[old++] = -1;
                continue;
            }
            if (next < added.Length && (old == _people.Length || NameOrder(added[next], _people[old]) < 0))
            {
                addedNumbers[next] = count;
                people[count++] = added[next++];
            }
            else
            {
                newNumber[old] = count;
                people[count++] = _people[old++];
            }
        }

        // The mapping keeps order, so each word's numbers stay ascending; the added people's numbers are then merged in.
        var words = new List<string>(_words);
        var peopleWithWord = new List<int[]>(_peopleWithWord.Length);
        foreach (var numbers in _peopleWithWord)
        {
            var renumbered = new List<int>(numbers.Length);
            foreach (var n in numbers)
                if (newNumber[n] >= 0) renumbered.Add(newNumber[n]);
            peopleWithWord.Add([.. renumbered]);
        }
        var additions = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < added.Length; i++)
            foreach (var word in added[i].Words)
            {
                if (!additions.TryGetValue(word, out var numbers)) additions[word] = numbers = [];
                numbers.Add(addedNumbers[i]);
            }
        foreach (var (word, numbers) in additions)
        {
            var at = words.BinarySearch(word, StringComparer.Ordinal);
            if (at >= 0) peopleWithWord[at] = [.. peopleWithWord[at].Concat(numbers).Order()];
            else
            {
                words.Insert(~at, word);
                peopleWithWord.Insert(~at, [.. numbers.Order()]);
            }
        }
        var used = Enumerable.Range(0, words.Count).Where(w => peopleWithWord[w].Length > 0).ToArray();
        return new DirectorySnapshot(people, [.. used.Select(w => words[w])], [.. used.Select(w => peopleWithWord[w])]);
    }

    /// <summary>The entry of that person as this snapshot has it, or null.</summary>
    public DirectoryEntry? Find(Guid id) => _byId.GetValueOrDefault(id);

    /// <summary>The people matching the search in name order: <paramref name="take"/> of them after <paramref name="skip"/>, and how many match in all.</summary>
    public (IReadOnlyList<DirectoryEntry> Page, int Total) Search(DirectorySearch search, int skip, int take)
    {
        var term = search.Query?.Trim().ToLowerInvariant() ?? "";
        var typedWords = DirectoryWords.Split(term);
        var anywhere = term.Contains('@', StringComparison.Ordinal) || term.Contains('.', StringComparison.Ordinal);
        var candidates = !anywhere && typedWords.Length > 0 ? PeopleWithWordsStarting(typedWords) : null;

        var page = new List<DirectoryEntry>(Math.Min(take, 256));
        var total = 0;
        void Consider(DirectoryEntry person)
        {
            if (!search.IncludeInactive && !person.IsActive) return;
            if (search.Department is { Length: > 0 } department && person.Department != department) return;
            if (search.SharesSkill is { } sharers && !sharers.Contains(person.Id)) return;
            if (anywhere && !person.SearchText.Contains(term, StringComparison.Ordinal)) return;
            if (total >= skip && page.Count < take) page.Add(person);
            total++;
        }

        if (candidates is null)
            foreach (var person in _people) Consider(person);
        else
            for (var block = 0; block < candidates.Length; block++)
                for (var bits = candidates[block]; bits != 0; bits &= bits - 1)
                    Consider(_people[block * 64 + System.Numerics.BitOperations.TrailingZeroCount(bits)]);
        return (page, total);
    }

    /// <summary>A bit per person, set for those who have, for every typed word, a word starting with it.</summary>
    private ulong[] PeopleWithWordsStarting(string[] typedWords)
    {
        ulong[]? all = null;
        foreach (var typed in typedWords)
        {
            var these = new ulong[(_people.Length + 63) / 64];
            var first = Array.BinarySearch(_words, typed, StringComparer.Ordinal);
            for (var w = first >= 0 ? first : ~first; w < _words.Length && _words[w].StartsWith(typed, StringComparison.Ordinal); w++)
                foreach (var number in _peopleWithWord[w])
                    these[number >> 6] |= 1UL << number;
            if (all is null) all = these;
            else
                for (var block = 0; block < all.Length; block++) all[block] &= these[block];
        }
        return all!;
    }
}
