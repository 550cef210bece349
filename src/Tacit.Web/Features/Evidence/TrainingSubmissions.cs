using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Web.Data;
using Tacit.Web.Features.Notifications;
using Tacit.Web.Features.Xapi;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Evidence;

/// <summary>What a person says about training they did elsewhere; the colleague who can confirm it is named by email.</summary>
public sealed record TrainingInput(string? What, DateOnly? On, double? Hours, IReadOnlyList<Guid>? SkillIds, string? Link, string? ConfirmerEmail);

/// <summary>A file sent with it: its name as the person's computer had it, and its bytes.</summary>
public sealed record TrainingFile(string FileName, byte[] Content);

public sealed record TrainingDto(Guid Id, Guid PersonId, string PersonName, string What, DateOnly On, double Hours, IReadOnlyList<string> Skills,
    string Link, string? FileName, string? FileUrl, Guid? ConfirmerId, string? ConfirmerName, TrainingConfirmation Confirmation,
    DateTimeOffset? AnsweredAt, Guid StatementId);

/// <summary>
/// Submit training (issue 14, point 3): anyone records learning done elsewhere, with a link or a file (PDF, PNG or JPEG,
/// at most 5 MB, its type read from its first bytes, not from its name), optionally naming a colleague who can confirm it.
/// The row, its xAPI statement (with the file as attachment) and the colleague's notification are saved together.
/// Only the person and the colleague asked can read an entry; to anyone else it does not exist (404).
/// </summary>
public sealed class TrainingSubmissions(TacitDbContext db, EvidenceRecorder recorder, Notifier notifier, TimeProvider clock)
{
    public const int MaxFileBytes = 5 * 1024 * 1024;
    public const string FileRefused = "Attach a PDF, PNG or JPEG file (what the file holds counts, not its name).";

    public async Task<TrainingDto> SubmitAsync(Guid personId, TrainingInput input, TrainingFile? file, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var what = Guard.Required(input.What, "What", "What you did", SubmittedTraining.WhatMaxLength);
        var on = input.On ?? throw new DomainException("Say when you did it.", "On");
        if (on > DateOnly.FromDateTime(now.UtcDateTime).AddDays(1)) throw new DomainException("Training you submit has happened: give a day that is not in the future.", "On");
        if (on.Year < 1970) throw new DomainException("Give a day since 1970.", "On");
        var hours = input.Hours ?? throw new DomainException("Say how many hours it took.", "Hours");
        if (!double.IsFinite(hours) || hours <= 0 || hours > SubmittedTraining.MaxHours)
            throw new DomainException($"Hours are more than 0 and at most {SubmittedTraining.MaxHours}.", "Hours");
        hours = Math.Round(hours, 2);
        var skillIds = (input.SkillIds ?? []).Distinct().ToList();
        if (skillIds.Count > SubmittedTraining.MaxSkills) throw new DomainException($"Choose at most {SubmittedTraining.MaxSkills} skills.", "Skills");
        if (await db.Skills.CountAsync(s => skillIds.Contains(s.Id), ct) != skillIds.Count)
            throw new DomainException("Choose skills from the catalogue.", "Skills");
        var link = Guard.Optional(input.Link, "Link", "Link", SubmittedTraining.LinkMaxLength);
        if (link.Length > 0 && !(Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            throw new DomainException("The link is a web address starting with https:// or http://.", "Link");
        Guid? confirmerId = null;
        if (!string.IsNullOrWhiteSpace(input.ConfirmerEmail))
        {
            var email = input.ConfirmerEmail.Trim().ToLowerInvariant();
            confirmerId = await db.People.Where(p => p.Email == email && p.IsActive).Select(p => (Guid?)p.Id).SingleOrDefaultAsync(ct)
                ?? throw new DomainException("No colleague here has that email address.", "ConfirmerEmail");
            if (confirmerId == personId) throw new DomainException("Ask a colleague to confirm it, not yourself.", "ConfirmerEmail");
        }
        var attachment = file is null ? null : Check(file);

        await using var transaction = await UseCaseTransaction.BeginAsync(db, ct);
        var training = new SubmittedTraining(db.CurrentOrganisationId, personId, what, on, hours, skillIds, link, confirmerId, now);
        if (attachment is not null) training.Attach(FileNameOf(file!.FileName, attachment.ContentType), attachment.ContentType, attachment.Sha2);
        db.Add(training);
        await recorder.TrainingSubmittedAsync(training, attachment, ct);
        if (confirmerId is { } colleague)
        {
            var name = await db.People.Where(p => p.Id == personId).Select(p => p.DisplayName).SingleAsync(ct);
            notifier.Notify(colleague, $"{name} asks you to confirm their training: {what}.", $"/training/{training.Id}");
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (await ReadAsync(personId, training.Id, ct))!;
    }

    /// <summary>The colleague asked confirms or declines; the person is told.</summary>
    public async Task<TrainingDto> AnswerAsync(Guid colleagueId, Guid trainingId, bool confirmed, CancellationToken ct = default)
    {
        await using var transaction = await UseCaseTransaction.BeginAsync(db, ct);
        var training = await db.Set<SubmittedTraining>().SingleOrDefaultAsync(t => t.Id == trainingId && (t.PersonId == colleagueId || t.ConfirmerId == colleagueId), ct)
            ?? throw new NotFoundException("No such training.");
        if (training.ConfirmerId != colleagueId) throw new ForbiddenException("Only the colleague asked can confirm this training.");
        var now = clock.GetUtcNow();
        training.Answer(confirmed, now);
        await recorder.TrainingAnsweredAsync(training, colleagueId, confirmed, now, ct);
        var name = await db.People.Where(p => p.Id == colleagueId).Select(p => p.DisplayName).SingleAsync(ct);
        notifier.Notify(training.PersonId, $"{name} {(confirmed ? "confirmed" : "declined to confirm")} your training: {training.What}.", "/me/training");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (await ReadAsync(colleagueId, training.Id, ct))!;
    }

    /// <summary>The person deletes their own entry: the row goes and its statement is voided.</summary>
    public async Task DeleteAsync(Guid personId, Guid trainingId, CancellationToken ct = default)
    {
        await using var transaction = await UseCaseTransaction.BeginAsync(db, ct);
        var training = await db.Set<SubmittedTraining>().SingleOrDefaultAsync(t => t.Id == trainingId && t.PersonId == personId, ct)
            ?? throw new NotFoundException("No such training.");
        await recorder.TrainingDeletedAsync(training, clock.GetUtcNow(), ct);
        db.Remove(training);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>One entry, for its person or the colleague asked to confirm it; null for anyone else.</summary>
    public async Task<TrainingDto?> ReadAsync(Guid readerId, Guid trainingId, CancellationToken ct = default) =>
        (await ToDtosAsync(db.Set<SubmittedTraining>().Where(t => t.Id == trainingId && (t.PersonId == readerId || t.ConfirmerId == readerId)), ct)).SingleOrDefault();

    /// <summary>The person's own entries, newest first.</summary>
    public async Task<IReadOnlyList<TrainingDto>> MineAsync(Guid personId, CancellationToken ct = default) =>
        await ToDtosAsync(db.Set<SubmittedTraining>().Where(t => t.PersonId == personId), ct);

    /// <summary>Entries colleagues asked this person to confirm that wait for an answer.</summary>
    public async Task<IReadOnlyList<TrainingDto>> AwaitingAsync(Guid colleagueId, CancellationToken ct = default) =>
        await ToDtosAsync(db.Set<SubmittedTraining>().Where(t => t.ConfirmerId == colleagueId && t.Confirmation == TrainingConfirmation.Pending), ct);

    /// <summary>The attached file, for the person or the colleague asked (a pack's reader reads the list, not the file).</summary>
    public async Task<(string FileName, string ContentType, byte[] Content)> FileAsync(Guid readerId, Guid trainingId, CancellationToken ct = default)
    {
        var training = await db.Set<SubmittedTraining>().AsNoTracking()
            .SingleOrDefaultAsync(t => t.Id == trainingId && (t.PersonId == readerId || t.ConfirmerId == readerId) && t.FileSha2 != "", ct)
            ?? throw new NotFoundException("No such file.");
        var content = await db.Set<XapiAttachment>().AsNoTracking().Where(a => a.Sha2 == training.FileSha2).Select(a => a.Content).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("No such file.");
        return (training.FileName, training.FileContentType, content);
    }

    /// <summary>The entries of a person in a period, for their record (and the packs they share).</summary>
    internal async Task<IReadOnlyList<TrainingDto>> OfAsync(Guid personId, RecordPeriod period, CancellationToken ct = default)
    {
        var rows = db.Set<SubmittedTraining>().Where(t => t.PersonId == personId);
        if (period.From is { } from) rows = rows.Where(t => t.On >= from);
        if (period.To is { } to) rows = rows.Where(t => t.On <= to);
        return await ToDtosAsync(rows, ct);
    }

    private async Task<IReadOnlyList<TrainingDto>> ToDtosAsync(IQueryable<SubmittedTraining> query, CancellationToken ct)
    {
        var rows = await query.AsNoTracking().OrderByDescending(t => t.On).ThenByDescending(t => t.CreatedAt).Take(1000).ToListAsync(ct);
        if (rows.Count == 0) return [];
        var personIds = rows.Select(t => t.PersonId).Concat(rows.Where(t => t.ConfirmerId is not null).Select(t => t.ConfirmerId!.Value)).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.DisplayName, ct);
        var skillIds = rows.SelectMany(t => t.SkillIds).Distinct().ToList();
        var skills = await db.Skills.AsNoTracking().Where(s => skillIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        return [.. rows.Select(t => new TrainingDto(t.Id, t.PersonId, people.GetValueOrDefault(t.PersonId, "a former colleague"), t.What, t.On, t.Hours,
            [.. t.SkillIds.Select(id => skills.GetValueOrDefault(id, "a skill no longer in the catalogue")).Order(StringComparer.CurrentCulture)],
            t.Link, t.HasFile ? t.FileName : null, t.HasFile ? $"/api/training/{t.Id}/file" : null,
            t.ConfirmerId, t.ConfirmerId is { } c ? people.GetValueOrDefault(c, "a former colleague") : null, t.Confirmation, t.AnsweredAt,
            EvidenceRecorder.TrainingStatementId(t)))];
    }

    /// <summary>The file's type from its first bytes (its signature), never from its name or the browser's word; others are refused.</summary>
    public static AttachmentContent Check(TrainingFile file)
    {
        if (file.Content.Length == 0) throw new DomainException("The file is empty.", "File");
        if (file.Content.Length > MaxFileBytes) throw new DomainException($"The file is larger than {MaxFileBytes / 1024 / 1024} MB.", "File");
        var type = TypeOf(file.Content) ?? throw new DomainException(FileRefused, "File");
        return new AttachmentContent(Convert.ToHexStringLower(SHA256.HashData(file.Content)), type, file.Content);
    }

    private static readonly (byte[] Signature, string ContentType)[] Signatures =
    [
        ("%PDF-"u8.ToArray(), "application/pdf"),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "image/png"),
        ([0xFF, 0xD8, 0xFF], "image/jpeg"),
    ];

    public static string? TypeOf(ReadOnlySpan<byte> content)
    {
        foreach (var (signature, contentType) in Signatures)
            if (content.StartsWith(signature)) return contentType;
        return null;
    }

    /// <summary>The name shown and downloaded: the person's, without folders or control characters, with its real type's extension.</summary>
    private static string FileNameOf(string given, string contentType)
    {
        var name = new string([.. Path.GetFileName(given.Replace('\\', '/')).Where(c => !char.IsControl(c) && c is not ('"' or '/'))]).Trim();
        var extension = contentType switch { "application/pdf" => ".pdf", "image/png" => ".png", _ => ".jpg" };
        var stem = Path.GetFileNameWithoutExtension(name);
        if (stem.Length == 0) stem = "evidence";
        if (stem.Length > SubmittedTraining.FileNameMaxLength - extension.Length) stem = stem[..(SubmittedTraining.FileNameMaxLength - extension.Length)];
        return stem + extension;
    }
}
