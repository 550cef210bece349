using System.Net;
using System.Text;

namespace Tacit.Web.Infrastructure;

/// <summary>
/// The HTML part of every mail, made from its plain-text part so the two always say the same: paragraphs stay
/// paragraphs, and an address on the last line of a paragraph becomes a button named for where it leads, with the address written
/// out below for anyone whose mail program shows no buttons. Styles are inline (mail programs drop style sheets), the
/// layout is one narrow column that reads on a phone, and the language and title are set for screen readers.
/// </summary>
public static class MailHtml
{
    private const string Accent = "#1d4f8a";

    public static string FromText(string subject, string text)
    {
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(Encode(subject)).Append("</title></head>")
            .Append("<body style=\"margin:0;padding:16px;background:#f4f6f8;\">")
            .Append("<div role=\"article\" aria-label=\"").Append(Encode(subject)).Append("\" style=\"max-width:560px;margin:0 auto;padding:24px;")
            .Append("background:#ffffff;border-radius:8px;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;\">")
            .Append("<p style=\"margin:0 0 16px;font-weight:700;font-size:18px;color:").Append(Accent).Append(";\">Tacit</p>");
        foreach (var paragraph in Paragraphs(text))
        {
            // A link alone on the last line of a paragraph ("choose a new password here:\n<link>") is the paragraph's action.
            var lines = paragraph.Split('\n');
            var action = IsLink(lines[^1], out var link) ? lines[^1] : null;
            var words = action is null ? lines : lines[..^1];
            if (words.Length > 0)
                html.Append("<p style=\"margin:0 0 16px;\">").Append(string.Join("<br>", words.Select(Encode))).Append("</p>");
            if (action is not null)
            {
                html.Append("<p style=\"margin:24px 0 8px;\"><a href=\"").Append(Encode(action)).Append("\" style=\"display:inline-block;padding:12px 20px;background:")
                    .Append(Accent).Append(";color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600;\">").Append(Encode(ActionFor(link!))).Append("</a></p>")
                    .Append("<p style=\"margin:0 0 16px;font-size:13px;color:#555555;word-break:break-all;\">Or open this address: ").Append(Encode(action)).Append("</p>");
            }
        }
        return html.Append("</div></body></html>").ToString();
    }

    private static bool IsLink(string line, out Uri? link) =>
        Uri.TryCreate(line, UriKind.Absolute, out link) && link.Scheme is "http" or "https" && !line.Contains(' ', StringComparison.Ordinal);

    /// <summary>What the button says: where the link leads, in the words of the page it opens.</summary>
    public static string ActionFor(Uri link)
    {
        var path = link.AbsolutePath.TrimEnd('/');
        return path switch
        {
            _ when path.StartsWith("/invitation/", StringComparison.Ordinal) => "Set your password and open Tacit",
            "/signup/confirm" => "Finish creating your organisation",
            "/reset-password" => "Choose a new password",
            "/confirm-email" => "Confirm your new address",
            "/signin" => "Sign in",
            "/forgot-password" => "Choose a new password",
            "/skills" => "Open the skill catalogue",
            "/offers" => "Open your offers and sessions",
            "/notifications" => "Open your notifications",
            "/me/skills" => "Open your skills",
            _ when path.StartsWith("/sessions/", StringComparison.Ordinal) && path.EndsWith("/feedback", StringComparison.Ordinal) => "Give your feedback",
            _ when path.StartsWith("/cycles/", StringComparison.Ordinal) && path.EndsWith("/intake", StringComparison.Ordinal) => "Answer the intake",
            _ when path.StartsWith("/cycles/", StringComparison.Ordinal) && path.EndsWith("/me", StringComparison.Ordinal) => "Open your part in the cycle",
            _ when path.StartsWith("/cycles/", StringComparison.Ordinal) && path.EndsWith("/support", StringComparison.Ordinal) => "Give your answer",
            _ when path.StartsWith("/cycles/", StringComparison.Ordinal) => "Open the cycle",
            _ => "Open Tacit",
        };
    }

    /// <summary>Blocks of text separated by blank lines, each with its lines trimmed of the indentation raw strings leave.</summary>
    private static IEnumerable<string> Paragraphs(string text) =>
        text.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(p => string.Join('\n', p.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)))
            .Where(p => p.Length > 0);

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
