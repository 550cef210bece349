using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.People;
using Tacit.Web.Api;
using Tacit.Web.Data;
using Tacit.Web.Features.Notifications;

namespace Tacit.Web.Features.Evidence;

public sealed record PackInput(string? Title, DateOnly? From, DateOnly? To, IReadOnlyList<string>? Contents, Guid? SharedWithId);

public sealed record PackOpeningDto(string OpenedBy, DateTimeOffset OpenedAt);

public sealed record PackSummary(Guid Id, Guid PersonId, string PersonName, string Title, DateOnly? From, DateOnly? To, IReadOnlyList<string> Contents,
    Guid SharedWithId, string SharedWithName, DateTimeOffset CreatedAt, DateTimeOffset? WithdrawnAt, IReadOnlyList<PackOpeningDto> Openings);

/// <summary>An opened pack: what it is, and the part of the record it holds (sections not chosen are empty).</summary>
public sealed record PackView(PackSummary Pack, LearningRecordDto Record);

/// <summary>Someone a person may share a pack with: their manager, or an admin (HR).</summary>
public sealed record PackRecipient(Guid Id, string Name, bool IsManager);

/// <summary>
/// Evidence packs (issue 14, point 5): nothing of a person's record reaches their manager or HR unless the person shares
/// it. A pack is a period and a choice of sections, shared with one colleague (their manager or an admin); only the
/// person and that colleague can open it, the colleague only until it is withdrawn (then it is a 404, as for anyone
/// else). Each time the colleague opens it is kept, and the person sees who opened it and when.
/// </summary>
public sealed class EvidencePacks(TacitDbContext db, LearningRecord records, Notifier notifier, TimeProvider clock)
{
    public const int Limit = 200;

    /// <summary>The person's manager (if any) and the organisation's active admins, manager first.</summary>
    public async Task<IReadOnlyList<PackRecipient>> RecipientsAsync(Guid personId, CancellationToken ct = default)
    {
        var managerId = await db.People.Where(p => p.Id == personId).Select(p => p.ManagerId).SingleOrDefaultAsync(ct);
        var people = await db.People.AsNoTracking()
            .Where(p => p.Id != personId && p.IsActive && (p.Id == managerId || (p.Roles & Roles.Admin) == Roles.Admin))
            .OrderBy(p => p.DisplayName).Take(Limit).Select(p => new { p.Id, p.DisplayName }).ToListAsync(ct);
        return [.. people.Select(p => new PackRecipient(p.Id, p.DisplayName, p.Id == managerId)).OrderByDescending(p => p.IsManager)];
    }

    public async Task<PackSummary> CreateAsync(Guid personId, PackInput input, CancellationToken ct = default)
    {
        var title = Guard.Required(input.Title, "Title", "Title", EvidencePack.TitleMaxLength);
        var period = new RecordPeriod(input.From, input.To);
        if (period.From > period.To) throw new DomainException("The start of the period must not be after its end.", "From");
        var contents = ParseContents(input.Contents);
        if (contents == PackContents.None) throw new DomainException("Choose at least one part of your record to put in the pack.", "Contents");
        var sharedWith = input.SharedWithId ?? throw new DomainException("Choose who to share the pack with.", "SharedWithId");
        if (!(await RecipientsAsync(personId, ct)).Any(r => r.Id == sharedWith))
            throw new DomainException("Share a pack with your manager or an admin.", "SharedWithId");
        var now = clock.GetUtcNow();
        var pack = new EvidencePack(db.CurrentOrganisationId, personId, title, period.From, period.To, contents, sharedWith, now);
        db.Add(pack);
        var name = await db.People.Where(p => p.Id == personId).Select(p => p.DisplayName).SingleAsync(ct);
        notifier.Notify(sharedWith, $"{name} shared an evidence pack with you: {title}.", $"/packs/{pack.Id}");
        await db.SaveChangesAsync(ct);
        return (await SummariesAsync(db.Set<EvidencePack>().Where(p => p.Id == pack.Id), ct)).Single();
    }

    /// <summary>The person withdraws a pack: from now on it is a 404 for the colleague.</summary>
    public async Task WithdrawAsync(Guid personId, Guid packId, CancellationToken ct = default)
    {
        var pack = await db.Set<EvidencePack>().SingleOrDefaultAsync(p => p.Id == packId && p.PersonId == personId, ct) ?? throw new NotFoundException("No such pack.");
        pack.Withdraw(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
    }

    public Task<IReadOnlyList<PackSummary>> MineAsync(Guid personId, CancellationToken ct = default) =>
        SummariesAsync(db.Set<EvidencePack>().Where(p => p.PersonId == personId), ct);

    /// <summary>Packs shared with this person and not withdrawn: all a manager or HR ever sees of anyone's record.</summary>
    public Task<IReadOnlyList<PackSummary>> SharedWithAsync(Guid personId, CancellationToken ct = default) =>
        SummariesAsync(db.Set<EvidencePack>().Where(p => p.SharedWithId == personId && p.WithdrawnAt == null), ct);

    /// <summary>
    /// Opens a pack for its person, or for the colleague it is shared with while it is not withdrawn (an opening is
    /// kept); for anyone else, and for a withdrawn pack's colleague, there is no such pack.
    /// </summary>
    public async Task<PackView> OpenAsync(Guid readerId, Guid packId, CancellationToken ct = default)
    {
        var pack = await db.Set<EvidencePack>().AsNoTracking()
            .SingleOrDefaultAsync(p => p.Id == packId && (p.PersonId == readerId || (p.SharedWithId == readerId && p.WithdrawnAt == null)), ct)
            ?? throw new NotFoundException("No such pack.");
        if (pack.PersonId != readerId)
        {
            db.Add(new EvidencePackOpening(pack.OrganisationId, pack.Id, readerId, clock.GetUtcNow()));
            await db.SaveChangesAsync(ct);
        }
        var record = await records.ForAsync(pack.PersonId, new RecordPeriod(pack.From, pack.To), ct);
        var c = pack.Contents;
        record = record with
        {
            Sessions = c.HasFlag(PackContents.Sessions) ? record.Sessions : [],
            SessionsLearned = c.HasFlag(PackContents.Sessions) ? record.SessionsLearned : 0,
            SessionsTaught = c.HasFlag(PackContents.Sessions) ? record.SessionsTaught : 0,
            HoursLearned = c.HasFlag(PackContents.Sessions) ? record.HoursLearned : 0,
            HoursTaught = c.HasFlag(PackContents.Sessions) ? record.HoursTaught : 0,
            SkillsLearned = c.HasFlag(PackContents.Sessions) ? record.SkillsLearned : [],
            ValidatedSkills = c.HasFlag(PackContents.ValidatedSkills) ? record.ValidatedSkills : [],
            CommitmentsKept = c.HasFlag(PackContents.Commitments) ? record.CommitmentsKept : [],
            SubmittedTraining = c.HasFlag(PackContents.SubmittedTraining) ? record.SubmittedTraining : [],
            Thanks = c.HasFlag(PackContents.Thanks) ? record.Thanks : [],
        };
        return new PackView((await SummariesAsync(db.Set<EvidencePack>().Where(p => p.Id == pack.Id), ct, withOpenings: pack.PersonId == readerId)).Single(), record);
    }

    private async Task<IReadOnlyList<PackSummary>> SummariesAsync(IQueryable<EvidencePack> query, CancellationToken ct, bool withOpenings = true)
    {
        var packs = await query.AsNoTracking().OrderByDescending(p => p.CreatedAt).Take(Limit).ToListAsync(ct);
        if (packs.Count == 0) return [];
        var ids = packs.Select(p => p.Id).ToList();
        // The person sees who opened their packs; the colleague reading one does not see the log.
        var openings = withOpenings
            ? await db.Set<EvidencePackOpening>().AsNoTracking().Where(o => ids.Contains(o.PackId)).OrderByDescending(o => o.OpenedAt).ToListAsync(ct)
            : [];
        var personIds = packs.SelectMany(p => new[] { p.PersonId, p.SharedWithId }).Concat(openings.Select(o => o.OpenedById)).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.DisplayName, ct);
        string Name(Guid id) => people.GetValueOrDefault(id, "a former colleague");
        return [.. packs.Select(p => new PackSummary(p.Id, p.PersonId, Name(p.PersonId), p.Title, p.From, p.To, ContentNames(p.Contents),
            p.SharedWithId, Name(p.SharedWithId), p.CreatedAt, p.WithdrawnAt,
            [.. openings.Where(o => o.PackId == p.Id).Take(50).Select(o => new PackOpeningDto(Name(o.OpenedById), o.OpenedAt))]))];
    }

    /// <summary>The sections a pack can hold, in the order the record shows them.</summary>
    public static IReadOnlyList<PackContents> Sections { get; } =
        [PackContents.Sessions, PackContents.ValidatedSkills, PackContents.Commitments, PackContents.SubmittedTraining, PackContents.Thanks];

    /// <summary>Reads the sections by their API names (sessions, validatedSkills, commitments, submittedTraining, thanks).</summary>
    public static PackContents ParseContents(IEnumerable<string>? names) =>
        (names ?? []).Aggregate(PackContents.None, (all, name) => all | ApiEnums.Parse(name, "Contents", Sections));

    public static IReadOnlyList<string> ContentNames(PackContents contents) => [.. Sections.Where(s => contents.HasFlag(s)).Select(s => ApiEnums.Name(s))];
}
