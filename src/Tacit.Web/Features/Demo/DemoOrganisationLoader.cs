using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.People;
using Tacit.Domain.Skills;
using Tacit.Web.Data;
using Tacit.Web.Features.Organisations;

namespace Tacit.Web.Features.Demo;

/// <summary>
/// The demo organisation, "Northwind Works": 173 people in 9 departments with a reporting tree, and shares
/// and wants whose popularity follows a Zipf law, as in real organisations where a few skills are wanted
/// by many. Generated from a fixed seed, so every demo looks the same.
/// </summary>
public sealed class DemoOrganisationLoader(TacitDbContext db, CreateOrganisationHandler createOrganisation, DemoAvailability availability,
    Microsoft.AspNetCore.Identity.UserManager<TacitUser> userManager, TimeProvider clock, ILogger<DemoOrganisationLoader> logger)
{
    public const string Slug = "demo";
    public const string AdminEmail = "alex.morgan@northwind.example";
    public const string AdminPassword = "tacit-demo-2026";
    public const string MemberEmail = "sam.patel@northwind.example";
    public const string MemberPassword = AdminPassword;

    private static readonly string[] Departments =
        ["Finance", "Sales", "Marketing", "Engineering", "Operations", "People", "Customer Service", "Legal", "Product"];

    private const int TeamsPerDepartment = 2;
    private const int MembersPerTeam = 8;

    /// <summary>The chief executive, the admin, and each department's head, team leads and members.</summary>
    public static int PeopleCount => 2 + Departments.Length * (1 + TeamsPerDepartment * (1 + MembersPerTeam));

    public static int DepartmentCount => Departments.Length;

    private static readonly string[] FirstNames =
    [
        "Amara", "Ben", "Chloe", "Dev", "Elena", "Femi", "Grace", "Hiro", "Isla", "Jonas", "Kemi", "Liam", "Maya", "Nikhil",
        "Olga", "Pedro", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wei", "Ximena", "Yusuf", "Zoe", "Aisha", "Bruno",
        "Carmen", "Darius", "Esme", "Felix", "Gita", "Hugo", "Ines", "Jamal", "Kira", "Lars", "Mina", "Noah",
    ];

    private static readonly string[] LastNames =
    [
        "Okafor", "Schmidt", "Nakamura", "Rossi", "Kowalski", "Haddad", "Fernandes", "Lindqvist", "O'Brien", "Mensah",
        "Dubois", "Novak", "Ivanova", "Chen", "Garcia", "Walsh", "Singh", "Murphy", "Costa", "Berg", "Ali", "Jensen",
    ];

    private static readonly string[] Cities = ["London", "Manchester", "Dublin", "Lisbon", "Berlin", "Remote"];

    public async Task<bool> ExistsAsync(CancellationToken cancellationToken = default) =>
        await db.Organisations.AnyAsync(o => o.Slug == Slug, cancellationToken);

    public async Task<CreatedOrganisation> LoadAsync(CancellationToken cancellationToken = default)
    {
        await availability.RequireOfferedAsync(cancellationToken);
        if (await ExistsAsync(cancellationToken))
            throw new ConflictException("The demo organisation is already loaded; sign in with its details.");

        await using var transaction = await UseCaseTransaction.BeginAsync(db, cancellationToken);
        var created = await createOrganisation.HandleAsync(
            new CreateOrganisation("Northwind Works (demo)", Slug, "Alex Morgan", AdminEmail, AdminPassword, IsDemo: true), cancellationToken);
        var organisationId = created.Organisation.Id;
        var random = new Random(20261124);
        var now = clock.GetUtcNow();

        var admin = created.Admin;
        admin.UpdateProfile(admin.DisplayName, "Head of Learning", "People", 8, "London", "Europe/London",
            "I run Tacit here. Ask me about facilitation and coaching.");

        var ceo = NewPerson(organisationId, "Morgan Blake", "Chief Executive", "Executive", 10, null, random, now);
        var people = new List<Person> { ceo };
        admin.AssignManager(ceo.Id);
        var nameIndex = 0;
        foreach (var department in Departments)
        {
            var head = NewPerson(organisationId, NextName(ref nameIndex), $"Head of {department}", department, 9, ceo.Id, random, now);
            people.Add(head);
            for (var team = 0; team < TeamsPerDepartment; team++)
            {
                var lead = NewPerson(organisationId, NextName(ref nameIndex), $"{department} Team Lead", department, random.Next(6, 8), head.Id, random, now);
                people.Add(lead);
                for (var member = 0; member < MembersPerTeam; member++)
                {
                    var title = member < 3 ? $"Senior {department} Specialist" : $"{department} Specialist";
                    people.Add(NewPerson(organisationId, NextName(ref nameIndex), title, department, random.Next(2, 6), lead.Id, random, now));
                }
            }
        }
        // A known member account, so the demo can be tried as someone without admin rights.
        var sam = people[^1];
        sam.ChangeEmail(MemberEmail);
        sam.UpdateProfile("Sam Patel", sam.JobTitle, sam.Department, sam.AuthorityLevel, "Manchester", "Europe/London",
            "Analyst who loves a good spreadsheet.");
        db.People.AddRange(people);
        await db.SaveChangesAsync(cancellationToken);

        var skills = await db.Skills.OrderBy(s => s.Name).ToListAsync(cancellationToken);
        // A fixed shuffle decides which skills are popular; popularity then falls off as 1/rank.
        var byPopularity = skills.OrderBy(_ => random.Next()).Take(90).ToList();
        var everyone = people.Append(admin).ToList();
        foreach (var person in everyone)
        {
            var shared = PickZipf(byPopularity, random.Next(1, 5), random);
            foreach (var skill in shared)
            {
                var groups = random.Next(3) == 0;
                db.Shares.Add(new Share(organisationId, person.Id, skill.Id, random.Next(2, 6), random.Next(1, 4), groups, groups ? random.Next(3, 7) : 1, now));
            }
            foreach (var skill in PickZipf(byPopularity, random.Next(1, 5), random).Where(s => !shared.Contains(s)))
            {
                var priority = (Priority)random.Next(1, 4);
                db.Wants.Add(new Want(organisationId, person.Id, skill.Id, priority, WhyFor(skill, random), null, now));
            }
        }
        await db.SaveChangesAsync(cancellationToken);

        var samUser = new TacitUser { UserName = MemberEmail, Email = MemberEmail, OrganisationId = organisationId, PersonId = sam.Id, EmailConfirmed = true };
        var result = await userManager.CreateAsync(samUser, MemberPassword);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Demo organisation loaded. Sign in as {AdminEmail} (admin and facilitator) or {MemberEmail} (member), password {Password}",
            AdminEmail, MemberEmail, AdminPassword);
        return created;
    }

    private string NextName(ref int index)
    {
        var first = FirstNames[index % FirstNames.Length];
        var last = LastNames[(index * 7 + index / FirstNames.Length) % LastNames.Length];
        index++;
        return $"{first} {last}";
    }

    private static Person NewPerson(Guid organisationId, string name, string title, string department, int level, Guid? managerId, Random random, DateTimeOffset now)
    {
        var email = name.ToLowerInvariant().Replace("'", "", StringComparison.Ordinal).Replace(' ', '.') + "@northwind.example";
        var person = new Person(organisationId, email, name, now);
        var city = Cities[random.Next(Cities.Length)];
        var zone = city switch { "Lisbon" => "Europe/Lisbon", "Berlin" => "Europe/Berlin", "Dublin" => "Europe/Dublin", _ => "Europe/London" };
        person.UpdateProfile(name, title, department, level, city, zone, "");
        person.AssignManager(managerId);
        // Recognition is private until a person chooses otherwise; in the demo some have, so profiles show both cases.
        // Chosen from the name, not the seeded random, so the rest of the demo stays as it was.
        person.SetRecognitionVisibility((name.Length % 5) switch
        {
            0 or 1 => RecognitionVisibility.Organisation,
            2 => RecognitionVisibility.Manager,
            _ => RecognitionVisibility.Private,
        });
        return person;
    }

    private static List<Skill> PickZipf(List<Skill> byPopularity, int count, Random random)
    {
        var weights = byPopularity.Select((_, rank) => 1.0 / (rank + 1)).ToArray();
        var total = weights.Sum();
        var picked = new List<Skill>();
        for (var attempts = 0; picked.Count < count && attempts < count * 20; attempts++)
        {
            var target = random.NextDouble() * total;
            var i = 0;
            for (var sum = weights[0]; sum < target && i < weights.Length - 1; sum += weights[++i]) { }
            if (!picked.Contains(byPopularity[i])) picked.Add(byPopularity[i]);
        }
        return picked;
    }

    private static string WhyFor(Skill skill, Random random) => random.Next(4) switch
    {
        0 => $"I need {skill.Name.ToLowerInvariant()} for a project starting next quarter.",
        1 => $"My team relies on {skill.Name.ToLowerInvariant()} and I want to pull my weight.",
        2 => "It came up in my development plan.",
        _ => "",
    };
}
