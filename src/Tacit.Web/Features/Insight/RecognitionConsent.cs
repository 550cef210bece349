using Microsoft.EntityFrameworkCore;
using Tacit.Domain;
using Tacit.Domain.People;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Insight;

/// <summary>
/// A person's own choice who sees their recognition (<see cref="Person.RecognitionVisibility"/>): the profile and
/// recognition API honour it for colleagues and the manager, the teaching-credit report for admins. Read and set by the
/// person through /api/me/recognition-visibility and their learning record page.
/// </summary>
public sealed class RecognitionConsent(TacitDbContext db)
{
    public async Task<RecognitionVisibility> ReadAsync(Guid personId, CancellationToken ct = default) =>
        await db.People.Where(p => p.Id == personId).Select(p => (RecognitionVisibility?)p.RecognitionVisibility).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException("No such person.");

    public async Task<RecognitionVisibility> SetAsync(Guid personId, RecognitionVisibility visibility, CancellationToken ct = default)
    {
        var person = await db.People.SingleOrDefaultAsync(p => p.Id == personId, ct) ?? throw new NotFoundException("No such person.");
        person.SetRecognitionVisibility(visibility);
        await db.SaveChangesAsync(ct);
        return person.RecognitionVisibility;
    }
}
