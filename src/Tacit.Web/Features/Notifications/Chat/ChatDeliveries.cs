using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tacit.Domain;
using Tacit.Web.Data;
using Tacit.Web.Features.Webhooks;

namespace Tacit.Web.Features.Notifications.Chat;

/// <summary>What a person sees of their chat delivery: never the address.</summary>
public sealed record ChatDeliveryView(bool Active, ChatKind? Kind, bool InsteadOfEmail, DateTimeOffset? Since);

/// <summary>A person's own choice to receive their notifications in Slack or Teams too, or instead of email.</summary>
public sealed class ChatDeliveries(TacitDbContext db, IDataProtectionProvider protection, IOptions<WebhookOptions> webhooks, TimeProvider clock)
{
    public const string Purpose = "Tacit.Chat.WebhookUrl.v1";

    public async Task<ChatDeliveryView> ReadAsync(Guid personId, CancellationToken ct = default) =>
        await db.Set<ChatDelivery>().AsNoTracking().Where(c => c.PersonId == personId)
            .Select(c => new ChatDeliveryView(true, c.Kind, c.InsteadOfEmail, c.CreatedAt)).SingleOrDefaultAsync(ct)
        ?? new ChatDeliveryView(false, null, false, null);

    /// <summary>
    /// Sets where the person's notifications go. An empty <paramref name="url"/> keeps the address already stored (to
    /// change only "instead of email"); a new one must be http(s) and, unless the operator allows private addresses
    /// (<c>Webhooks__AllowPrivateAddresses</c>), public — the same rule as webhooks.
    /// </summary>
    public async Task<ChatDeliveryView> SaveAsync(Guid personId, ChatKind kind, string? url, bool insteadOfEmail, CancellationToken ct = default)
    {
        var delivery = await db.Set<ChatDelivery>().SingleOrDefaultAsync(c => c.PersonId == personId, ct);
        if (string.IsNullOrWhiteSpace(url))
        {
            if (delivery is null || delivery.Kind != kind) throw new DomainException("Paste the webhook address from Slack or Teams.", "Url");
            delivery.Choose(insteadOfEmail);
        }
        else
        {
            if (url.Trim().Length > ChatDelivery.UrlMaxLength) throw new DomainException($"The address can be at most {ChatDelivery.UrlMaxLength} characters.", "Url");
            var address = WebhookAddresses.Parse(url.Trim(), webhooks.Value.AllowPrivateAddresses);
            if (delivery is null)
            {
                var organisationId = await db.People.Where(p => p.Id == personId).Select(p => p.OrganisationId).SingleAsync(ct);
                delivery = new ChatDelivery(organisationId, personId, clock.GetUtcNow());
                db.Add(delivery);
            }
            delivery.Change(kind, protection.CreateProtector(Purpose).Protect(address.AbsoluteUri), insteadOfEmail);
        }
        await db.SaveChangesAsync(ct);
        return new ChatDeliveryView(true, delivery.Kind, delivery.InsteadOfEmail, delivery.CreatedAt);
    }

    /// <summary>Stops chat delivery: notifications go by email only again.</summary>
    public async Task RemoveAsync(Guid personId, CancellationToken ct = default) =>
        await db.Set<ChatDelivery>().Where(c => c.PersonId == personId).ExecuteDeleteAsync(ct);
}
