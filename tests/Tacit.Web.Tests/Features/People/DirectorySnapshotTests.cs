using CsCheck;
using Tacit.Web.Features.People;

namespace Tacit.Web.Tests.Features.People;

public class DirectorySnapshotTests
{
    private static DirectoryEntry Person(string name, string title = "", string department = "", bool active = true, string? email = null) =>
        new(Guid.NewGuid(), name, title, department, "", $"{name} {title} {email ?? name.Replace(' ', '.') + "@example.com"}".ToLowerInvariant(), active);

    private static string[] Names(DirectorySnapshot snapshot, string? query, string? department = null, bool inactive = false, IReadOnlySet<Guid>? sharers = null) =>
        [.. snapshot.Search(new DirectorySearch(query, department, sharers, inactive), 0, 100).Page.Select(p => p.DisplayName)];

    [Fact]
    public void Typed_words_find_the_beginnings_of_words_in_names_titles_and_emails_in_name_order()
    {
        var snapshot = DirectorySnapshot.Of([Person("Reuben Lee", "Benefits adviser"), Person("Ben Saunders", "Analyst"), Person("Sam O'Brien", "Engineer")]);

        Assert.Equal(["Ben Saunders", "Reuben Lee"], Names(snapshot, "ben"));
        Assert.Equal(["Ben Saunders"], Names(snapshot, "BEN sa"));
        Assert.Equal(["Ben Saunders"], Names(snapshot, "sa ben"));
        Assert.Equal(["Sam O'Brien"], Names(snapshot, "brien"));
        Assert.Equal(["Reuben Lee"], Names(snapshot, "reuben.lee@exa"));
        Assert.Empty(Names(snapshot, "euben"));
        Assert.Equal(["Ben Saunders", "Reuben Lee", "Sam O'Brien"], Names(snapshot, "  "));
    }

    [Fact]
    public void Filters_by_department_skill_and_activity_and_pages_with_an_exact_total()
    {
        var people = Enumerable.Range(0, 30).Select(i => Person($"Person {i:00}", department: i % 3 == 0 ? "Sales" : "Finance", active: i != 4)).ToList();
        var snapshot = DirectorySnapshot.Of(people);

        var (page, total) = snapshot.Search(new DirectorySearch("pers", null, null, false), 5, 5);
        Assert.Equal(29, total);
        Assert.Equal(["Person 06", "Person 07", "Person 08", "Person 09", "Person 10"], page.Select(p => p.DisplayName));   // Person 04 is inactive
        Assert.Equal(30, snapshot.Search(new DirectorySearch(null, null, null, true), 0, 1).Total);
        Assert.Equal(10, snapshot.Search(new DirectorySearch(null, "Sales", null, false), 0, 100).Total);
        Assert.Equal(["Person 01", "Person 03"], Names(snapshot, null, sharers: new HashSet<Guid> { people[1].Id, people[3].Id, people[4].Id }));
        Assert.Equal(["Finance", "Sales"], snapshot.Departments);
    }

    [Fact]
    public void A_change_replaces_the_person_and_leaves_the_old_snapshot_as_it_was()
    {
        var ben = Person("Ben Saunders");
        var before = DirectorySnapshot.Of([ben, Person("Ada Byron")]);
        var after = before.With([ben with { DisplayName = "Zed Saunders", SearchText = "zed saunders", IsActive = false }, Person("Cy Young")]);

        Assert.Equal(["Ada Byron", "Ben Saunders"], Names(before, null, inactive: true));
        Assert.Equal(["Ada Byron", "Cy Young", "Zed Saunders"], Names(after, null, inactive: true));
        Assert.Empty(Names(after, "ben", inactive: true));
        Assert.Equal(["Ada Byron", "Cy Young"], Names(after, null));
        Assert.Equal("Zed Saunders", after.Find(ben.Id)!.DisplayName);
    }

    [Fact]
    public void A_snapshot_with_changes_searches_like_one_built_from_everyone_as_they_are_now()
    {
        var word = Gen.String[Gen.Char["abc"], 1, 4];
        var row = Gen.Select(word.Array[1, 3], word, Gen.Bool, (name, title, active) => (Name: string.Join(' ', name), Title: title, Active: active));
        // People, then changes: each replaces someone (by position) or, past the end, adds someone new.
        Gen.Select(row.List[0, 120], Gen.Select(Gen.Int[0, 200], row).List[1, 80], Gen.String[Gen.Char["abc "], 0, 4])
            .Sample(t =>
            {
                var (rows, changes, query) = t;
                var people = rows.Select(r => new DirectoryEntry(Guid.NewGuid(), r.Name, r.Title, "", "", $"{r.Name} {r.Title}", r.Active)).ToList();
                var changed = changes.Select(c => new DirectoryEntry(c.Item1 < people.Count ? people[c.Item1].Id : Guid.NewGuid(),
                    c.Item2.Name, c.Item2.Title, "", "", $"{c.Item2.Name} {c.Item2.Title}", c.Item2.Active)).DistinctBy(p => p.Id).ToList();
                var now = people.Where(p => changed.All(c => c.Id != p.Id)).Concat(changed).ToList();

                var updated = DirectorySnapshot.Of(people).With(changed);
                var rebuilt = DirectorySnapshot.Of(now);
                foreach (var search in new[] { new DirectorySearch(query, null, null, true), new DirectorySearch(query, null, null, false), new DirectorySearch(null, null, null, true) })
                {
                    var (expected, expectedTotal) = rebuilt.Search(search, 0, 500);
                    var (actual, actualTotal) = updated.Search(search, 0, 500);
                    Assert.Equal(expectedTotal, actualTotal);
                    Assert.Equal(expected.Select(p => p.Id), actual.Select(p => p.Id));
                }
                Assert.All(changed, c => Assert.Equal(c, updated.Find(c.Id)));
            });
    }

    [Fact]
    public void Agrees_with_reading_everyone_on_random_directories_and_searches()
    {
        // Few letters, so words share beginnings and searches match many people, some or none.
        var word = Gen.String[Gen.Char["abc"], 1, 4];
        var entry = Gen.Select(word.Array[1, 3], word, Gen.Bool, Gen.Int[0, 2], (name, title, active, department) =>
            new DirectoryEntry(Guid.NewGuid(), string.Join(' ', name), title, $"D{department}", "", $"{string.Join(' ', name)} {title}", active));
        Gen.Select(entry.List[0, 150], Gen.String[Gen.Char["abc "], 0, 5], Gen.Bool, Gen.Int[0, 40], Gen.Int[1, 30])
            .Sample(t =>
            {
                var (people, query, inactive, skip, take) = t;
                var snapshot = DirectorySnapshot.Of(people);
                var typed = query.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var expected = people
                    .Where(p => inactive || p.IsActive)
                    .Where(p => typed.All(w => p.SearchText.Split(' ').Any(own => own.StartsWith(w, StringComparison.Ordinal))))
                    .OrderBy(p => p.DisplayName, StringComparer.Ordinal).ThenBy(p => p.Id)
                    .ToList();

                var (page, total) = snapshot.Search(new DirectorySearch(query, null, null, inactive), skip, take);
                Assert.Equal(expected.Count, total);
                Assert.Equal(expected.Skip(skip).Take(take).Select(p => p.Id), page.Select(p => p.Id));
            });
    }
}
