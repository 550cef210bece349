using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Notifications;

/// <summary>What one mail says for one or more of a person's notifications: a subject that fits whole, and a body.</summary>
public sealed record NotificationMail(string Subject, string Body, string Text)
{
    /// <summary>Longer subjects are cut by phones and mail lists; a sentence longer than this gives way to its topic.</summary>
    public const int SubjectMaxLength = 70;

    /// <summary>
    /// The notifications in the order they happened; those that lead to the same page share one link after them. The
    /// subject is the one notification's first sentence when it fits, otherwise what the notifications are about.
    /// </summary>
    public static NotificationMail Compose(IReadOnlyList<(string Text, string Link)> notifications, LinkBuilder links)
    {
        var byPage = notifications.GroupBy(n => n.Link).ToList();
        var body = string.Join("\n\n", byPage.Select(page => string.Join("\n\n", page.Select(n => n.Text)) + "\n\n" + links.To(page.Key)));
        var text = string.Join("\n\n", notifications.Select(n => n.Text));
        return new NotificationMail(SubjectOf(notifications, byPage.Count == 1 ? byPage[0].Key : null), body, text);
    }

    private static string SubjectOf(IReadOnlyList<(string Text, string Link)> notifications, string? onePage)
    {
        if (notifications.Count > 1)
            return $"Tacit: {notifications.Count} updates" + (onePage is null ? " for you" : $" about {Topic(onePage)}");
        var sentence = notifications[0].Text.Split(". ", 2)[0].TrimEnd('.');
        return "Tacit: " + (("Tacit: " + sentence).Length <= SubjectMaxLength ? sentence : $"news about {Topic(notifications[0].Link)}");
    }

    /// <summary>What the page a notification leads to is about, for a subject.</summary>
    private static string Topic(string link)
    {
        var path = link.Split('?', 2)[0].TrimEnd('/');
        return path switch
        {
            "/offers" => "your offers and sessions",
            "/skills" => "the skill catalogue",
            "/me/skills" => "your skills",
            _ when path.StartsWith("/sessions/", StringComparison.Ordinal) => "a session",
            _ when path.EndsWith("/intake", StringComparison.Ordinal) => "a learning cycle's intake",
            _ when path.EndsWith("/support", StringComparison.Ordinal) => "supporting your team in a learning cycle",
            _ when path.StartsWith("/cycles/", StringComparison.Ordinal) => "a learning cycle",
            _ => "your learning",
        };
    }
}
