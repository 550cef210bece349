using Microsoft.EntityFrameworkCore;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Settings;

/// <summary>The organisation's name as its admins see it and change it; its URL name never changes.</summary>
public sealed record OrganisationDetails(string Name, string Slug, int? DefaultMaxTeacherSessions);

/// <summary>The settings of the organisation of this request.</summary>
public sealed class OrganisationSettings(TacitDbContext db, Audit.AuditLog audit)
{
    public Task<OrganisationDetails> DetailsAsync(CancellationToken cancellationToken = default) =>
        db.Organisations.Where(o => o.Id == db.CurrentOrganisationId).Select(o => new OrganisationDetails(o.Name, o.Slug, o.DefaultMaxTeacherSessions)).SingleAsync(cancellationToken);

    public async Task RenameAsync(string name, CancellationToken cancellationToken = default)
    {
        var organisation = await db.Organisations.SingleAsync(o => o.Id == db.CurrentOrganisationId, cancellationToken);
        var before = organisation.Name;
        organisation.Rename(name);
        if (organisation.Name != before) audit.Record("organisation.renamed", organisation.Name, $"{before} → {organisation.Name}");
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Sessions a teacher gives per cycle at most, for everyone who does not say in the intake; null = no cap.</summary>
    public async Task SetDefaultMaxTeacherSessionsAsync(int? sessions, CancellationToken cancellationToken = default)
    {
        var organisation = await db.Organisations.SingleAsync(o => o.Id == db.CurrentOrganisationId, cancellationToken);
        var before = organisation.DefaultMaxTeacherSessions;
        organisation.SetDefaultMaxTeacherSessions(sessions);
        if (organisation.DefaultMaxTeacherSessions != before)
            audit.Record("organisation.teacher-cap-changed", organisation.Name, $"{Cap(before)} → {Cap(organisation.DefaultMaxTeacherSessions)}");
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Cap(int? sessions) => sessions is { } n ? $"{n} sessions" : "no cap";
}
