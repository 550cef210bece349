using Tacit.Domain.Offers;
using Tacit.Domain.People;
using Tacit.Domain.Skills;
using Tacit.Web.Features.Offers;

namespace Tacit.Web.Tests.Infrastructure;

/// <summary>
/// The small organisation the cycle, offer and reminder tests share: Finance (fiona, a manager, and finance1–6, who
/// want Negotiation) and Sales (sam, a manager, and sales1–3, who share it in two one-to-one sessions each);
/// finance1 also wants Coaching, which nobody shares. Everyone signs in with <see cref="CycleScenario.Password"/>;
/// <see cref="Cycles"/> takes the organisation's cycles through their steps.
/// </summary>
public sealed class FinanceAndSales
{
    public const string WantedSkill = "Negotiation";
    public const string UnsharedSkill = "Coaching";

    private readonly TacitApp _app;
    private readonly ScenarioPeople _people;

    private FinanceAndSales(TacitApp app, Guid id, ScenarioPeople people, HttpClient facilitator, CycleScenario cycles) =>
        (_app, Id, _people, Facilitator, Cycles) = (app, id, people, facilitator, cycles);

    public Guid Id { get; }

    /// <summary>An API client with a facilitator's token (acting for no person).</summary>
    public HttpClient Facilitator { get; }

    public CycleScenario Cycles { get; }

    public string Slug => _people.Slug;

    public Guid Wanted => _people.Skills[WantedSkill];

    public Guid Unshared => _people.Skills[UnsharedSkill];

    public Guid this[string name] => _people[name];

    public string Email(string name) => _people.Email(name);

    public string NameOf(Guid personId) => _people.NameOf(personId);

    /// <summary>A browser-like client signed in as one of the people (cookies, no redirects followed).</summary>
    public Task<HttpClient> SignInAsync(string name) => Pages.SignedInClientAsync(_app, Email(name), CycleScenario.Password);

    /// <summary>A teacher's first offer of the published cycle (of a status, if given), with the teacher and its first learner signed in.</summary>
    public async Task<OfferInPlay> OfferOfAsync(string teacher, OfferStatus? status = null)
    {
        var teacherClient = await SignInAsync(teacher);
        var offer = (await teacherClient.GetJsonAsync<List<OfferDto>>("/api/offers")).First(o => o.TeacherId == this[teacher] && (status is null || o.Status == status));
        var learnerName = NameOf(offer.LearnerIds[0]);
        return new OfferInPlay(teacherClient, offer, await SignInAsync(learnerName), learnerName);
    }

    /// <summary>10:00 UTC on the day so many days from today: a session time that reads plainly in a calendar.</summary>
    public static DateTimeOffset AtTen(int days)
    {
        var day = TimeProvider.System.GetUtcNow().AddDays(days);
        return new DateTimeOffset(day.Year, day.Month, day.Day, 10, 0, 0, TimeSpan.Zero);
    }

    public static async Task<FinanceAndSales> SeedAsync(TacitApp app)
    {
        var id = (await app.CreateOrganisationAsync("cycle-" + Guid.NewGuid().ToString("N")[..8])).Organisation.Id;
        var cycles = new CycleScenario(app.Services, id)
            .Person("fiona", "Finance", level: 7, timeZone: "Europe/London")
            .Person("sam", "Sales", level: 7, timeZone: "Europe/London");
        for (var i = 1; i <= 6; i++)
            cycles.Person($"finance{i}", "Finance", manager: "fiona", level: 3, timeZone: "Europe/London")
                .Wants($"finance{i}", WantedSkill, i % 2 == 0 ? Priority.High : Priority.Medium, "For the budget round");
        cycles.Wants("finance1", UnsharedSkill, Priority.Low);
        for (var i = 1; i <= 3; i++)
            cycles.Person($"sales{i}", "Sales", manager: "sam", timeZone: "Europe/London").Shares($"sales{i}", WantedSkill, sessions: 2);
        var people = await cycles.SeedAsync();
        return new FinanceAndSales(app, id, people, await app.ClientWithTokenAsync(id, Roles.Facilitator), cycles);
    }
}

/// <summary>An offer as its teacher saw it, with the teacher and its (first) learner signed in.</summary>
public sealed record OfferInPlay(HttpClient Teacher, OfferDto Offer, HttpClient Learner, string LearnerName)
{
    /// <summary>The teacher offers the times and the learner accepts the first: the session that books.</summary>
    public async Task<SessionDto> BookAsync(params DateTimeOffset[] times)
    {
        await Teacher.PostAsJsonAsync($"/api/offers/{Offer.Id}/offer", new { times }).ExpectAsync(HttpStatusCode.OK);
        return await Learner.PostAsJsonAsync($"/api/offers/{Offer.Id}/accept", new { time = times[0] }).ReadAsync<SessionDto>(HttpStatusCode.OK);
    }
}
