using Tacit.Web.Api;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Notifications.Chat;

public sealed record ChatDeliveryWrite(string? Kind, string? Url, bool InsteadOfEmail);

/// <summary>A person's own chat delivery: Slack or Teams, as well as or instead of email (docs/integrations.md).</summary>
public static class ChatDeliveriesApi
{
    public static void MapChatDeliveriesApi(this RouteGroupBuilder api)
    {
        var chat = api.MapGroup("/me/chat-delivery").WithTags("Chat delivery");
        chat.MapGet("/", (ChatDeliveries chats, CurrentUser current, CancellationToken ct) => chats.ReadAsync(current.RequirePerson(), ct))
            .WithSummary("Whether your notifications also (or instead of email) go to Slack or Teams; never the address.");
        chat.MapPut("/", async (ChatDeliveryWrite body, ChatDeliveries chats, CurrentUser current, CancellationToken ct) =>
                await chats.SaveAsync(current.RequirePerson(), ApiEnums.Parse<ChatKind>(body.Kind, nameof(body.Kind)), body.Url, body.InsteadOfEmail, ct))
            .WithName("setMyChatDelivery")
            .WithSummary("`{kind: slack|teams, url, insteadOfEmail}`: your webhook address (http(s), public unless the operator allows private ones), kept encrypted; an empty url keeps the stored one.");
        chat.MapDelete("/", async (ChatDeliveries chats, CurrentUser current, CancellationToken ct) =>
        {
            await chats.RemoveAsync(current.RequirePerson(), ct);
            return TypedResults.NoContent();
        }).WithSummary("Stops chat delivery: email only again.");
    }
}
