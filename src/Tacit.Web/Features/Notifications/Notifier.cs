using Tacit.Domain.Notifications;
using Tacit.Web.Data;

namespace Tacit.Web.Features.Notifications;

/// <summary>
/// Tells people something: an in-app notification that is also emailed by <see cref="NotificationMailer"/>.
/// Adding is part of the caller's unit of work, so a notification exists exactly when what it announces was saved.
/// <c>urgent</c> marks what cannot wait for a daily digest (<see cref="Notification.Urgent"/>).
/// </summary>
public sealed class Notifier(TacitDbContext db, TimeProvider clock)
{
    public void Notify(Guid personId, string text, string link, bool email = true, bool urgent = false) =>
        db.Notifications.Add(Create(personId, text, link, email, urgent));

    /// <summary>A notification not yet added anywhere, for callers that insert many in batches.</summary>
    public Notification Create(Guid personId, string text, string link, bool email = true, bool urgent = false) =>
        new(db.CurrentOrganisationId, personId, text, link, clock.GetUtcNow(), email, urgent);

    public void Notify(IEnumerable<Guid> personIds, string text, string link, bool email = true, bool urgent = false)
    {
        foreach (var id in personIds.Distinct()) Notify(id, text, link, email, urgent);
    }
}
