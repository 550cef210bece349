using Microsoft.EntityFrameworkCore;
using Tacit.Domain.Offers;
using Tacit.Web.Data;
using Tacit.Web.Features.Offers;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.CalendarFeeds;

/// <summary>A feed's address, with the secret in it: given once, when made.</summary>
public sealed record CalendarFeedAddress(string Url, DateTimeOffset CreatedAt);

/// <summary>
/// A person's private iCalendar feed of all their sessions, as teacher and as learner (cancelled ones included, marked
/// cancelled), for Outlook, Google Calendar or Apple Calendar to subscribe to: turning it on, renewing and revoking its
/// address, and writing the feed for whoever holds the address.
/// </summary>
public sealed class CalendarFeeds(TacitDbContext db, TimeProvider clock, LinkBuilder links)
{
    public const string PathPrefix = "/calendar/";

    /// <summary>When the person's feed address was made; null when they have none.</summary>
    public Task<DateTimeOffset?> CreatedAtAsync(Guid personId, CancellationToken ct = default) =>
        db.Set<CalendarFeed>().Where(f => f.PersonId == personId).Select(f => (DateTimeOffset?)f.CreatedAt).SingleOrDefaultAsync(ct);

    /// <summary>A new feed address for the person, replacing any they had. The address is shown this once: Tacit keeps only a hash.</summary>
    public async Task<CalendarFeedAddress> RenewAsync(Guid personId, CancellationToken ct = default)
    {
        var feed = await db.Set<CalendarFeed>().SingleOrDefaultAsync(f => f.PersonId == personId, ct);
        string secret;
        if (feed is null)
        {
            var organisationId = await db.People.Where(p => p.Id == personId).Select(p => p.OrganisationId).SingleAsync(ct);
            (feed, secret) = CalendarFeed.Create(organisationId, personId, clock.GetUtcNow());
            db.Add(feed);
        }
        else secret = feed.Renew(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return new CalendarFeedAddress(AddressOf(secret), feed.CreatedAt);
    }

    /// <summary>Ends the person's feed: its address answers 404 from now on. Nothing happens when there is none.</summary>
    public async Task RevokeAsync(Guid personId, CancellationToken ct = default) =>
        await db.Set<CalendarFeed>().Where(f => f.PersonId == personId).ExecuteDeleteAsync(ct);

    public string AddressOf(string secret) => links.To($"{PathPrefix}{secret}.ics");

    /// <summary>
    /// The feed whose address holds this secret; null for a malformed, unknown or revoked secret and for a person who has
    /// left. The secret is all the caller has (no sign-in), so the feed's own organisation is named in every query in
    /// place of the request's tenant, which is empty here or may be another organisation's signed-in person.
    /// </summary>
    public async Task<string?> WriteAsync(string secret, CancellationToken ct = default)
    {
        if (!CalendarFeed.IsWellFormed(secret)) return null;
        var hash = CalendarFeed.HashOf(secret);
        var feed = await db.Set<CalendarFeed>().IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(f => f.SecretHash == hash, ct);
        if (feed is null) return null;
        var organisationId = feed.OrganisationId;
        var people = db.People.IgnoreQueryFilters().Where(p => p.OrganisationId == organisationId);
        if (!await people.AnyAsync(p => p.Id == feed.PersonId && p.IsActive, ct)) return null;

        var sessions = await db.Sessions.IgnoreQueryFilters().AsNoTracking().Where(s => s.OrganisationId == organisationId).Involving(feed.PersonId)
            .OrderBy(s => s.StartsAt).ThenBy(s => s.Id).ToListAsync(ct);
        var personIds = sessions.SelectMany(s => s.LearnerIds.Append(s.TeacherId)).Distinct().ToList();
        var names = await people.Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => new CalendarPerson(p.DisplayName, p.Email, p.TimeZone), ct);
        var skillIds = sessions.Select(s => s.SkillId).Distinct().ToList();
        var skills = await db.Skills.IgnoreQueryFilters().Where(s => s.OrganisationId == organisationId && skillIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var events = sessions.Where(s => names.ContainsKey(s.TeacherId)).Select(s => new SessionEvent(s, skills.GetValueOrDefault(s.SkillId, "a skill"), names[s.TeacherId],
            [.. s.LearnerIds.Where(names.ContainsKey).Select(id => names[id])]));
        return SessionCalendar.Feed("Tacit sessions", events, clock.GetUtcNow(), links.To(SessionInvitations.Page));
    }
}
