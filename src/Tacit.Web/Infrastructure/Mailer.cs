using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Tacit.Web.Infrastructure;

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "Tacit <tacit@localhost>";
    /// <summary>Auto: STARTTLS when the server offers it. None for a local test server.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;
    /// <summary>Where mail goes as .eml files when no SMTP host is set.</summary>
    public string PickupFolder { get; set; } = "data/mail";
    /// <summary>
    /// How long a notification waits before it is mailed, so that what one action tells a person (a decline, its
    /// rematch, a new match) arrives as one mail rather than several. Session invitations do not wait.
    /// </summary>
    public TimeSpan GatherNotificationsFor { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// Sends mail over SMTP with MailKit; with no SMTP host configured it writes each message as an .eml file
/// so a person trying Tacit on their own machine can still follow invitation and reset links.
/// </summary>
public sealed class Mailer(Microsoft.Extensions.Options.IOptions<SmtpOptions> options, TimeProvider clock, ILogger<Mailer> logger)
{
    private readonly SmtpOptions _options = options.Value;

    public bool WritesToFolder => string.IsNullOrWhiteSpace(_options.Host);

    public string PickupFolder => Path.GetFullPath(_options.PickupFolder);

    /// <summary>
    /// Sends, and reports a failure (logged) instead of throwing it: the action that wanted the mail has
    /// happened, and the person can be given the link another way.
    /// </summary>
    public async Task<bool> TrySendAsync(string toEmail, string toName, string subject, string textBody, CancellationToken cancellationToken = default) =>
        await TrySendAsync(toEmail, toName, subject, textBody, calendar: null, cancellationToken);

    /// <summary>As above, with an iCalendar invitation (RFC 5545 text whose METHOD is REQUEST or CANCEL) attached.</summary>
    public async Task<bool> TrySendAsync(string toEmail, string toName, string subject, string textBody, CalendarAttachment? calendar,
        CancellationToken cancellationToken = default)
    {
        try
        {
            await SendAsync(toEmail, toName, subject, textBody, calendar, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is MailKit.CommandException or MailKit.ProtocolException or MailKit.Security.AuthenticationException
            or IOException or System.Net.Sockets.SocketException or MailKit.Security.SslHandshakeException)
        {
            logger.LogError(e, "Could not send mail '{Subject}' to {Email}", subject, toEmail);
            return false;
        }
    }

    public Task SendAsync(string toEmail, string toName, string subject, string textBody, CancellationToken cancellationToken = default) =>
        SendAsync(toEmail, toName, subject, textBody, calendar: null, cancellationToken);

    public async Task SendAsync(string toEmail, string toName, string subject, string textBody, CalendarAttachment? calendar, CancellationToken cancellationToken = default)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(_options.From));
        message.To.Add(new MailboxAddress(toName, toEmail));
        message.Subject = subject;
        // Plain text first and HTML after it: a mail program shows the last part it can (RFC 2046 5.1.4).
        var parts = new MultipartAlternative { new TextPart("plain") { Text = textBody }, new TextPart("html") { Text = MailHtml.FromText(subject, textBody) } };
        if (calendar is null)
        {
            message.Body = parts;
        }
        else
        {
            // Calendar clients read the text/calendar part with its method; the .ics attachment is for everyone else.
            var invitation = new TextPart("calendar") { Text = calendar.Content };
            invitation.ContentType.Parameters.Add("method", calendar.Method);
            invitation.ContentType.Charset = "utf-8";
            parts.Add(invitation);
            var attachment = new MimePart("application", "ics")
            {
                Content = new MimeContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(calendar.Content))),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = calendar.FileName,
            };
            message.Body = new Multipart("mixed") { parts, attachment };
        }

        if (WritesToFolder)
        {
            Directory.CreateDirectory(PickupFolder);
            // Named by time first, so a folder listing reads oldest to newest.
            var file = Path.Combine(PickupFolder, $"{clock.GetUtcNow():yyyyMMdd-HHmmss-fffffff}-{Guid.NewGuid():N}.eml");
            await message.WriteToAsync(file, cancellationToken);
            logger.LogInformation("No SMTP server configured: wrote mail '{Subject}' to {File}", subject, file);
            return;
        }

        using var client = new SmtpClient();
        await client.ConnectAsync(_options.Host!, _options.Port, _options.Security, cancellationToken);
        if (!string.IsNullOrEmpty(_options.Username))
            await client.AuthenticateAsync(_options.Username, _options.Password ?? "", cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }
}

/// <summary>An iCalendar object to send with a mail: its text, its METHOD and the attachment's file name.</summary>
public sealed record CalendarAttachment(string Content, string Method, string FileName);
