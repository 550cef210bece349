using Microsoft.EntityFrameworkCore;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Settings;

/// <summary>The organisation's name as its admins see it and change it; its URL name never changes.</summary>
public sealed record OrganisationDetails(string Name, string Slug);

/// <summary>The settings of the organisation of this request.</summary>
public sealed class OrganisationSettings(TacitDbContext db, Audit.AuditLog audit)
{
    public Task<OrganisationDetails> DetailsAsync(CancellationToken cancellationToken = default) =>
        db.Organisations.Where(o => o.Id == db.CurrentOrganisationId).Select(o => new OrganisationDetails(o.Name, o.Slug)).SingleAsync(cancellationToken);

    public async Task RenameAsync(string name, CancellationToken cancellationToken = default)
    {
        var organisation = await db.Organisations.SingleAsync(o => o.Id == db.CurrentOrganisationId, cancellationToken);
        var before = organisation.Name;
        organisation.Rename(name);
        if (organisation.Name != before) audit.Record("organisation.renamed", organisation.Name, $"{before} → {organisation.Name}");
        await db.SaveChangesAsync(cancellationToken);
    }
}
