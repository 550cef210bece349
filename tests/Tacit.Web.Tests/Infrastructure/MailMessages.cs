using MimeKit;

namespace Tacit.Web.Tests.Infrastructure;

/// <summary>The mails the app wrote to its pickup folder, parsed, to one address.</summary>
public static class MailMessages
{
    /// <summary>Every whole mail to <paramref name="email"/> so far: none before the first is written, and one the mailer is still writing is left for the next look.</summary>
    public static List<MimeMessage> To(TacitApp app, string email)
    {
        if (!Directory.Exists(app.MailFolder)) return [];
        var messages = new List<MimeMessage>();
        foreach (var file in Directory.GetFiles(app.MailFolder, "*.eml"))
        {
            try { messages.Add(MimeMessage.Load(file)); }
            catch (IOException) { }
            catch (FormatException) { }
        }
        return [.. messages.Where(m => m.To.Mailboxes.Any(a => a.Address == email))];
    }
}
