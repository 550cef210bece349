using System.Linq.Expressions;
using System.Reflection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.Cycles;
using Tacit.Domain.Offers;
using Tacit.Domain.People;
using Tacit.Web.Data;
using Tacit.Web.Features.Offers;
using Tacit.Web.Features.Reminders;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.People;

/// <summary>What an erasure removed or anonymised, counted, for the admin who did it and for the audit log.</summary>
public sealed record ErasureReceipt(Guid PersonId, DateTimeOffset ErasedAt, IReadOnlyDictionary<string, int> Counts);

/// <summary>
/// An admin erases a person (GDPR article 17; docs/security.md, "Erasing a person"). Everything that says who they
/// were, and everything they wrote, is deleted or anonymised in one transaction; what the organisation's figures count
/// (sessions held, ratings, intake answers already released, commitments kept) stays, under "Erased person". Their
/// upcoming sessions are cancelled (a group goes on without them) and their open offers handed back, as for a leaver.
/// </summary>
public sealed class PersonErasure(TacitDbContext db, UserManager<TacitUser> users, PeopleAdministration administration,
    LeaverOffers leaverOffers, Audit.AuditLog audit, CurrentUser current, TimeProvider clock)
{
    public async Task<ErasureReceipt> EraseAsync(Guid personId, CancellationToken ct = default)
    {
        if (current.PersonId == personId) throw new ConflictException("You cannot erase yourself; ask another admin.");
        var counts = new Dictionary<string, int>();
        await using var transaction = await UseCaseTransaction.BeginAsync(db, ct);
        var person = await db.People.SingleOrDefaultAsync(p => p.Id == personId, ct) ?? throw new NotFoundException("No such person.");
        if (person.IsErased) throw new ConflictException("This person was erased already.");
        // Leaving first, as a deactivation does: sign-in stops, open offers go back to the engine. Not audited as a
        // deactivation: that entry would name the person; the erasure's own entry says what happened.
        var wasActive = person.IsActive;
        // Someone deactivated earlier left their sessions then; this catches any they were put back in since.
        var dropped = wasActive ? await administration.LeaveAsync(personId, audited: false, ct) : await leaverOffers.DropUpcomingSessionsAsync(personId, ct);
        counts["upcomingSessionsChanged"] = dropped.Count;
        await db.SaveChangesAsync(ct);

        var (name, email) = (person.DisplayName, person.Email);
        counts["shares"] = await DeleteAsync(db.Shares.Where(s => s.PersonId == personId), ct);
        counts["wants"] = await DeleteAsync(db.Wants.Where(w => w.PersonId == personId), ct);
        counts["carriedWants"] = await DeleteAsync(db.CarriedWants.Where(c => c.LearnerId == personId), ct);
        counts["questionsForSessions"] = await DeleteAsync(db.SessionQuestions.Where(q => q.LearnerId == personId), ct);
        counts["notifications"] = await DeleteAsync(db.Notifications.Where(n => n.PersonId == personId), ct);
        counts["emails"] = await DeleteAsync(db.OutgoingMail.Where(m => m.ToEmail == email), ct);
        counts["invitations"] = await DeleteAsync(db.Invitations.Where(i => i.PersonId == personId), ct);
        counts["pairRules"] = await DeleteAsync(db.PairRules.Where(r => r.LearnerId == personId || r.TeacherId == personId), ct);
        counts["skippedPins"] = await DeleteAsync(db.SkippedPins.Where(p => p.LearnerId == personId || p.TeacherId == personId), ct);
        counts["pendingImports"] = await DeleteAsync(db.PendingImports.Where(i => i.Content.Contains(email)), ct);
        counts["calendarFeeds"] = await DeleteAsync(db.Set<CalendarFeeds.CalendarFeed>().Where(f => f.PersonId == personId), ct);
        counts["chatDeliveries"] = await DeleteAsync(db.Set<Notifications.Chat.ChatDelivery>().Where(c => c.PersonId == personId), ct);
        counts["storedApiAnswers"] = await DeleteAsync(db.IdempotentRequests.Where(r => r.CallerId == personId), ct);
        counts["trainingFiles"] = await EraseTrainingFilesAsync(personId, ct);
        counts["trainingSubmitted"] = await DeleteAsync(db.Set<Evidence.SubmittedTraining>().Where(t => t.PersonId == personId), ct);
        counts["trainingToConfirm"] = await EachAsync(db.Set<Evidence.SubmittedTraining>().Where(t => t.ConfirmerId == personId), t => t.ForgetConfirmer(), ct);
        counts["packOpenings"] = await DeleteAsync(db.Set<Evidence.EvidencePackOpening>().Where(o => o.OpenedById == personId), ct);
        counts["evidencePacks"] = await DeleteAsync(db.Set<Evidence.EvidencePack>().Where(p => p.PersonId == personId), ct);
        counts["packsSharedWithThem"] = await DeleteAsync(db.Set<Evidence.EvidencePack>().Where(p => p.SharedWithId == personId), ct);
        counts["learningRecords"] = await EraseLearningRecordsAsync(email, ct);

        counts["intakeAnswers"] = await AnonymiseIntakeAsync(personId, ct);
        counts["managerAnswers"] = await EachAsync(db.ManagerEnrolments.Where(e => e.ManagerId == personId && e.ExpectedBarriers != ""), e => e.EraseNote(), ct);
        counts["feedbackWritten"] = await EachAsync(db.SessionFeedback.Where(f => f.PersonId == personId), f => f.EraseWriting(), ct);
        counts["thanksReceived"] = await EraseThanksToAsync(personId, ct);
        counts["offers"] = await EachAsync(db.Offers.Involving(personId), o => o.EraseWritingOf(personId), ct);
        // The hours a proposal's people were all free tell when the person is free: they go with the intake's availability.
        counts["proposalFreeHours"] = await EachAsync(db.Proposals.Where(p => p.CommonHours != null && (p.TeacherId == personId || p.LearnerIds.Contains(personId))),
            p => p.ForgetCommonHours(), ct);
        counts["commitments"] = await EachAsync(db.Commitments.Where(c => c.LearnerId == personId), c => c.EraseText(), ct);
        counts["checkInNotes"] = await EachAsync(db.Commitments.Where(c => c.PartnerId == personId && c.PartnerNote != ""), c => c.ErasePartnerNote(), ct);
        counts["followUps"] = await EachAsync(db.FollowUps.Where(f => f.PersonId == personId), f => f.EraseNote(), ct);
        counts["preferredByOthers"] = await EachAsync(db.Wants.Where(w => w.PreferredTeacherId == personId), w => w.ForgetPreferredTeacher(), ct);
        counts["reports"] = await EachAsync(db.People.Where(p => p.ManagerId == personId), p => p.AssignManager(null), ct);
        // What others wrote or were told about the person keeps its meaning for them, without the name or the address.
        counts["textsNamingThem"] = await RedactEverywhereAsync(name, email, ct);

        if (await users.Users.SingleOrDefaultAsync(u => u.PersonId == personId, ct) is { } user)
        {
            var deleted = await users.DeleteAsync(user);
            if (!deleted.Succeeded) throw new InvalidOperationException($"The account could not be removed: {string.Join(" ", deleted.Errors.Select(e => e.Description))}");
        }
        var now = clock.GetUtcNow();
        person.Erase(now);
        // The record of the erasure names nobody: a name kept here would undo it.
        audit.Record("person.erased", $"person {personId}", string.Join(", ", counts.Where(c => c.Value > 0).Select(c => $"{c.Key} {c.Value}")));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (!wasActive) await leaverOffers.RescheduleRemindersAsync(dropped, ct);
        return new ErasureReceipt(personId, now, counts);
    }

    /// <summary>
    /// The learning record store's statements in which the person is the actor or another agent (by their address, as
    /// mbox or its SHA-1), their state documents and their agent profiles, are deleted: an xAPI statement cannot be changed, and a voided one
    /// would still be kept, so erasure is the one case where the store forgets.
    /// </summary>
    private async Task<int> EraseLearningRecordsAsync(string email, CancellationToken ct)
    {
        var mbox = $"mailto:{email}";
        // xAPI names an agent by the SHA-1 of their mailto IRI (mbox_sha1sum): a lookup the standard fixes, not a security use.
#pragma warning disable CA5350
        var sha1 = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(mbox)));
#pragma warning restore CA5350
        string[] agentKeys = [$"mbox:{mbox}", $"mbox_sha1sum:{sha1}"];
        var hashes = agentKeys.Select(Xapi.XapiHash.Of).ToList();
        var statements = await db.Set<Xapi.XapiStatement>()
            .Where(s => s.Keys.Any(k => (k.Kind == Xapi.XapiKeyKind.Agent || k.Kind == Xapi.XapiKeyKind.RelatedAgent) && hashes.Contains(k.Hash)))
            .Include(s => s.Keys).ToListAsync(ct);
        db.RemoveRange(statements);
        // What was still waiting to be forwarded goes with them (what was forwarded is the receiving system's to erase).
        var statementIds = statements.Select(s => s.StatementId).ToList();
        db.RemoveRange(await db.Set<Xapi.XapiForward>().Where(f => statementIds.Contains(f.StatementId)).ToListAsync(ct));
        // State and agent profile documents keep their agent's hash; an agent profile's scope is the agent alone, which
        // also finds profiles stored before the agent's hash was kept (Xapi.XapiEndpoint, DocumentsAsync).
        var profileScopes = agentKeys.Select(key => Xapi.XapiHash.Of("\n" + key)).ToList();
        var documents = await db.Set<Xapi.XapiDocument>()
            .Where(d => (d.AgentHash != null && hashes.Contains(d.AgentHash)) || (d.Kind == Xapi.XapiDocumentKind.AgentProfile && profileScopes.Contains(d.ScopeHash)))
            .ToListAsync(ct);
        db.RemoveRange(documents);
        return statements.Count + documents.Count;
    }

    /// <summary>The files attached to training the person submitted (kept by the learning record store, by their SHA-256).</summary>
    private async Task<int> EraseTrainingFilesAsync(Guid personId, CancellationToken ct)
    {
        var theirs = db.Set<Evidence.SubmittedTraining>().Where(t => t.PersonId == personId && t.FileSha2 != "").Select(t => t.FileSha2);
        // A file someone else also attached stays theirs.
        var others = db.Set<Evidence.SubmittedTraining>().Where(t => t.PersonId != personId).Select(t => t.FileSha2);
        return await DeleteAsync(db.Set<Xapi.XapiAttachment>().Where(a => theirs.Contains(a.Sha2) && !others.Contains(a.Sha2)), ct);
    }

    /// <summary>Free-text answers and notes go; the choices stay, so figures the intake released stay the same.</summary>
    private async Task<int> AnonymiseIntakeAsync(Guid personId, CancellationToken ct)
    {
        var responses = await db.IntakeResponses.Where(r => r.PersonId == personId).ToListAsync(ct);
        var cycleIds = responses.Select(r => r.CycleId).Distinct().ToList();
        var freeText = (await db.IntakeQuestions.Where(q => cycleIds.Contains(q.CycleId) && q.Kind == QuestionKind.FreeText).Select(q => q.Id).ToListAsync(ct)).ToHashSet();
        foreach (var response in responses) response.Anonymise(freeText);
        return responses.Count;
    }

    /// <summary>Thank-you notes others addressed to the person: to them as teacher, or as the only learner of a session.</summary>
    private async Task<int> EraseThanksToAsync(Guid personId, CancellationToken ct)
    {
        var sessions = await db.Sessions.AsNoTracking().Involving(personId).ToListAsync(ct);
        var addressedToThem = sessions.Where(s => s.TeacherId == personId || s.LearnerIds.Count == 1).Select(s => s.Id).ToList();
        var notes = await db.SessionFeedback.Where(f => addressedToThem.Contains(f.SessionId) && f.PersonId != personId && f.ThankYou != "").ToListAsync(ct);
        var thanks = notes.Where(f => sessions.Single(s => s.Id == f.SessionId).TeacherId == personId ? !f.AsTeacher : f.AsTeacher).ToList();
        foreach (var note in thanks) note.EraseThanks();
        return thanks.Count;
    }

    /// <summary>
    /// Every text column of every table of the organisation (the audit log aside: it is append-only and names nobody
    /// erased) is searched for the name and the address, and each is replaced (<see cref="Erasure.Redact"/>). Going by
    /// the model rather than a list means a table added later is covered without anyone remembering to.
    /// </summary>
    private async Task<int> RedactEverywhereAsync(string name, string email, CancellationToken ct)
    {
        var changed = 0;
        var tables = db.Model.GetEntityTypes().Where(t => typeof(ITenantOwned).IsAssignableFrom(t.ClrType) && !t.IsOwned()
            && t.ClrType != typeof(Domain.Organisations.AuditEntry) && t.ClrType != typeof(Person));
        foreach (var table in tables)
        {
            var texts = table.GetProperties().Where(p => p.ClrType == typeof(string) && !p.IsKey() && !p.IsForeignKey()).Select(p => p.Name).ToList();
            if (texts.Count == 0) continue;
            var read = RowsNamingMethod.MakeGenericMethod(table.ClrType);
            foreach (var row in await (Task<List<object>>)read.Invoke(this, [texts, name, email, ct])!)
            {
                var entry = db.Entry(row);
                if (entry.State == EntityState.Deleted) continue;
                var before = changed;
                foreach (var text in texts)
                {
                    if (entry.Property(text).CurrentValue is string value && Erasure.Redact(value, name, email) is var redacted && redacted != value)
                    {
                        entry.Property(text).CurrentValue = redacted;
                        changed = before + 1;
                    }
                }
            }
        }
        return changed;
    }

    private static readonly MethodInfo RowsNamingMethod = typeof(PersonErasure).GetMethod(nameof(RowsNamingAsync), BindingFlags.NonPublic | BindingFlags.Instance)!;

    /// <summary>The rows of one table with the name or the address in any of the given text columns (a superset: the name is matched as a word afterwards).</summary>
    private async Task<List<object>> RowsNamingAsync<T>(List<string> texts, string name, string email, CancellationToken ct) where T : class
    {
        var row = Expression.Parameter(typeof(T), "row");
        var contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
        var property = typeof(EF).GetMethod(nameof(EF.Property))!.MakeGenericMethod(typeof(string));
        Expression? naming = null;
        foreach (var text in texts)
        {
            var column = Expression.Call(property, row, Expression.Constant(text));
            foreach (var value in new[] { name, email })
            {
                var test = Expression.AndAlso(Expression.NotEqual(column, Expression.Constant(null, typeof(string))), Expression.Call(column, contains, Expression.Constant(value)));
                naming = naming is null ? test : Expression.OrElse(naming, test);
            }
        }
        return [.. await db.Set<T>().Where(Expression.Lambda<Func<T, bool>>(naming!, row)).ToListAsync(ct)];
    }

    private static async Task<int> EachAsync<T>(IQueryable<T> rows, Action<T> change, CancellationToken ct)
    {
        var list = await rows.ToListAsync(ct);
        foreach (var row in list) change(row);
        return list.Count;
    }

    private async Task<int> DeleteAsync<T>(IQueryable<T> rows, CancellationToken ct) where T : class
    {
        var list = await rows.ToListAsync(ct);
        db.RemoveRange(list);
        return list.Count;
    }
}
