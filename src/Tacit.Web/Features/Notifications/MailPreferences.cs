using Microsoft.EntityFrameworkCore;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Notifications;

/// <summary>How a person wants their mail: <c>immediately</c> false is one digest a day, at <c>digestHour</c> in their own time zone.</summary>
public sealed record MailPreference(bool Immediately, int DigestHour, string TimeZone, DateTimeOffset? NextDigestAt);

/// <summary>A person's own choice between a mail for each notification and a daily digest (time-critical ones always go at once).</summary>
public sealed class MailPreferences(TacitDbContext db)
{
    public async Task<MailPreference> ReadAsync(Guid personId, CancellationToken ct = default) =>
        await db.People.AsNoTracking().Where(p => p.Id == personId)
            .Select(p => new MailPreference(p.MailImmediately, Domain.People.Person.DigestHour, p.TimeZone, p.NextDigestAt)).SingleAsync(ct);

    public async Task<MailPreference> ChooseAsync(Guid personId, bool immediately, CancellationToken ct = default)
    {
        var person = await db.People.SingleAsync(p => p.Id == personId, ct);
        person.ChooseMail(immediately);
        await db.SaveChangesAsync(ct);
        return new MailPreference(person.MailImmediately, Domain.People.Person.DigestHour, person.TimeZone, person.NextDigestAt);
    }
}
