using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Tacit.Domain.Cycles;
using Tacit.Domain.Offers;
using Tacit.Domain.People;
using Tacit.Web.Api;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Webhooks;

/// <summary>
/// Turns what a save changes into webhook events, and writes each event's deliveries into the same save: a change and
/// the news of it are stored together or not at all, whichever page, API call, job or command made it. Events are read
/// from the entities' own state changes (a person added or deactivated, a cycle's state, an offer's status, a session
/// added, moved or cancelled, feedback given), so no use case has to remember to raise them. Payloads carry ids,
/// states, times and skill and cycle names; never what people wrote (intake answers, reasons, thanks, feedback).
/// </summary>
public sealed class WebhookEvents(TimeProvider clock) : SaveChangesInterceptor
{
    private sealed record Event(string Type, object Data);

    private static readonly JsonSerializerOptions Json = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(ApiEnums.Converter());
        return options;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is TacitDbContext db) await CaptureAsync(db, cancellationToken);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is TacitDbContext db) CaptureAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    private async Task CaptureAsync(TacitDbContext db, CancellationToken ct)
    {
        // Deliveries being written are not news: a save of nothing but those (the sender's own) is passed at once.
        var changed = db.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified && e.Entity is not WebhookDelivery and not WebhookEndpoint).ToList();
        if (changed.Count == 0 || db.CurrentOrganisationId == Guid.Empty) return;
        var events = new List<Event>();
        var skillIds = new HashSet<Guid>();
        foreach (var entry in changed) Read(entry, events, skillIds);
        var feedback = changed.Where(e => e.Entity is SessionFeedback).ToList();
        // Only a save with news asks whether anyone listens: most saves (notifications, mail, match runs) have none.
        if (events.Count == 0 && feedback.Count == 0) return;
        var endpoints = await db.Set<WebhookEndpoint>().AsNoTracking().ToListAsync(ct);
        if (endpoints.Count == 0) return;
        await AddFeedbackEventsAsync(db, feedback, events, ct);
        var skills = await db.Skills.Where(s => skillIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);

        var now = clock.GetUtcNow();
        foreach (var e in events)
        {
            var receivers = endpoints.Where(w => w.Receives(e.Type)).ToList();
            if (receivers.Count == 0) continue;
            var eventId = Guid.CreateVersion7(now);
            var payload = JsonSerializer.Serialize(new { type = e.Type, timestamp = now, data = WithSkillName(e.Data, skills) }, Json);
            foreach (var endpoint in receivers) db.Add(new WebhookDelivery(endpoint, eventId, e.Type, payload, now));
        }
    }

    private static object WithSkillName(object data, Dictionary<Guid, string> skills) => data switch
    {
        SessionData s => s with { Skill = skills.GetValueOrDefault(s.SkillId, "") },
        OfferData o => o with { Skill = skills.GetValueOrDefault(o.SkillId, "") },
        _ => data,
    };

    private static void Read(EntityEntry entry, List<Event> events, HashSet<Guid> skillIds)
    {
        var added = entry.State == EntityState.Added;
        switch (entry.Entity)
        {
            case Person person when added:
                events.Add(new(WebhookEventTypes.PersonAdded, new { personId = person.Id }));
                break;
            case Person person when Was(entry, nameof(Person.IsActive), true) && !person.IsActive:
                events.Add(new(WebhookEventTypes.PersonLeft, new { personId = person.Id }));
                break;
            case Cycle cycle when !added && Changed(entry, nameof(Cycle.State)):
                events.Add(new(WebhookEventTypes.CycleStateChanged,
                    new { cycleId = cycle.Id, name = cycle.Name, from = entry.Property(nameof(Cycle.State)).OriginalValue, to = cycle.State }));
                break;
            case Offer offer when !added && Changed(entry, nameof(Offer.Status)) && OfferEvent(offer.Status) is { } type:
                skillIds.Add(offer.SkillId);
                events.Add(new(type, OfferData.Of(offer)));
                break;
            case Session session when added:
                skillIds.Add(session.SkillId);
                events.Add(new(WebhookEventTypes.SessionBooked, SessionData.Of(session)));
                break;
            case Session session when Changed(entry, nameof(Session.Status)) && session.Status == SessionStatus.Cancelled:
                skillIds.Add(session.SkillId);
                events.Add(new(WebhookEventTypes.SessionCancelled, SessionData.Of(session)));
                break;
            case Session session when Changed(entry, nameof(Session.StartsAt)):
                skillIds.Add(session.SkillId);
                events.Add(new(WebhookEventTypes.SessionRescheduled, SessionData.Of(session)));
                break;
        }
    }

    private static string? OfferEvent(OfferStatus status) => status switch
    {
        OfferStatus.Offered => WebhookEventTypes.OfferMade,
        OfferStatus.Accepted => WebhookEventTypes.OfferAccepted,
        OfferStatus.Declined => WebhookEventTypes.OfferDeclined,
        _ => null,
    };

    /// <summary>
    /// Feedback saved with its time given: feedback.given; the first "it happened" for a session: session.held; a
    /// learner's good rating that makes the number of learners needed: skill.validated. What they wrote never goes out.
    /// </summary>
    private static async Task AddFeedbackEventsAsync(TacitDbContext db, List<EntityEntry> feedbackEntries, List<Event> events, CancellationToken ct)
    {
        foreach (var entry in feedbackEntries)
        {
            var feedback = (SessionFeedback)entry.Entity;
            if (feedback.GivenAt is null || !(entry.State == EntityState.Added || Changed(entry, nameof(SessionFeedback.GivenAt)))) continue;
            events.Add(new(WebhookEventTypes.FeedbackGiven,
                new { sessionId = feedback.SessionId, personId = feedback.PersonId, asTeacher = feedback.AsTeacher, happened = feedback.Happened, givenAt = feedback.GivenAt }));
            var happenedBefore = entry.State != EntityState.Added && Was(entry, nameof(SessionFeedback.Happened), true);
            if (feedback.Happened && !happenedBefore
                && !await db.SessionFeedback.AnyAsync(f => f.SessionId == feedback.SessionId && f.Id != feedback.Id && f.Happened, ct))
                events.Add(new(WebhookEventTypes.SessionHeld, new { sessionId = feedback.SessionId, heldOn = feedback.GivenAt }));

            var good = !feedback.AsTeacher && feedback.Happened && feedback.Usefulness >= Recognition.GoodRating;
            var wasGood = entry.State != EntityState.Added && Was(entry, nameof(SessionFeedback.Happened), true)
                && entry.Property(nameof(SessionFeedback.Usefulness)).OriginalValue is int before && before >= Recognition.GoodRating;
            if (!good || wasGood) continue;
            var othersRating = await db.SessionFeedback.Where(f => f.TeacherId == feedback.TeacherId && f.SkillId == feedback.SkillId && !f.AsTeacher && f.Happened
                    && f.Usefulness >= Recognition.GoodRating && f.PersonId != feedback.PersonId)
                .Select(f => f.PersonId).Distinct().CountAsync(ct);
            if (othersRating == Recognition.LearnersToValidate - 1)
            {
                var skill = await db.Skills.Where(s => s.Id == feedback.SkillId).Select(s => s.Name).SingleOrDefaultAsync(ct) ?? "";
                events.Add(new(WebhookEventTypes.SkillValidated, new { personId = feedback.TeacherId, skillId = feedback.SkillId, skill }));
            }
        }
    }

    private static bool Changed(EntityEntry entry, string property) => entry.State == EntityState.Modified && entry.Property(property).IsModified
        && !Equals(entry.Property(property).OriginalValue, entry.Property(property).CurrentValue);

    private static bool Was(EntityEntry entry, string property, object value) => entry.State == EntityState.Modified && Equals(entry.Property(property).OriginalValue, value);

    private sealed record OfferData(Guid OfferId, Guid CycleId, Guid TeacherId, IReadOnlyList<Guid> LearnerIds, Guid SkillId, string Skill, SessionKind Kind,
        OfferStatus Status, IReadOnlyList<DateTimeOffset> Times, Guid? SessionId)
    {
        public static OfferData Of(Offer o) => new(o.Id, o.CycleId, o.TeacherId, [.. o.LearnerIds], o.SkillId, "", o.Kind, o.Status, [.. o.Times], o.SessionId);
    }

    private sealed record SessionData(Guid SessionId, Guid OfferId, Guid CycleId, Guid TeacherId, IReadOnlyList<Guid> LearnerIds, Guid SkillId, string Skill,
        SessionKind Kind, SessionStatus Status, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int Sequence, string CalendarUid)
    {
        public static SessionData Of(Session s) => new(s.Id, s.OfferId, s.CycleId, s.TeacherId, [.. s.LearnerIds], s.SkillId, "", s.Kind, s.Status, s.StartsAt, s.EndsAt,
            s.Sequence, s.CalendarUid);
    }
}
