using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Tacit.Web.Data;
using Tacit.Web.Features.People;
using Tacit.Web.Infrastructure;
using Tacit.Web.Tenancy;

namespace Tacit.Web.Features.Notifications;

/// <summary>
/// Emails in the background, in batches, so that publishing to thousands of people never waits for SMTP. Two tables
/// are the outbox: <c>OutgoingMail</c> (calendar invitations, sent first, oldest first) and the notifications. A row is
/// emailed once, then marked; a failed send gives it back and pauses, so a mail server that is down delays mail and
/// loses none. With several app instances two may pick the same row; the claim update makes only one of them send it.
/// </summary>
public sealed class NotificationMailer(IServiceScopeFactory scopes, Mailer mailer, Chat.ChatPoster chat, LinkBuilder links, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<SmtpOptions> smtp, ILogger<NotificationMailer> logger) : BackgroundService
{
    private const int BatchSize = 200;
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int sent;
            try
            {
                sent = await SendBatchAsync(stoppingToken);
            }
            catch (Exception e) when (!e.IsHostStopping(stoppingToken))
            {
                logger.LogWarning(e, "Sending notification emails failed; retrying shortly.");
                sent = 0;
            }
            if (sent == 0) await Task.Delay(Idle, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Sends up to one batch of pending emails, organisation by organisation; returns how many were sent.</summary>
    public async Task<int> SendBatchAsync(CancellationToken cancellationToken)
    {
        List<Guid> organisations;
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TacitDbContext>();
            // Across organisations on purpose: only the ids of organisations with work, then each is handled in its own tenant scope.
            var (now, gathered) = Moments();
            organisations = await db.OutgoingMail.IgnoreQueryFilters().Where(m => m.Pending).Select(m => m.OrganisationId)
                .Union(Due(db.Notifications.IgnoreQueryFilters(), db.People.IgnoreQueryFilters(), now, gathered).Select(d => d.Notification.OrganisationId))
                .Distinct().Take(50).ToListAsync(cancellationToken);
        }
        int handled = 0;
        foreach (var organisation in organisations)
        {
            using var scope = scopes.CreateScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(organisation);
            var db = scope.ServiceProvider.GetRequiredService<TacitDbContext>();
            var (mailed, stopped) = await SendOutgoingMailAsync(db, cancellationToken);
            handled += mailed;
            if (stopped) return handled;
            var (now, gathered) = Moments();
            var batch = await Due(db.Notifications, db.People, now, gathered).OrderBy(d => d.Notification.CreatedAt).Take(BatchSize)
                .Select(d => new
                {
                    d.Notification.Id, d.Notification.Text, d.Notification.Link, d.Notification.Urgent,
                    d.Person.Email, d.Person.DisplayName, d.Person.IsActive, d.Person,
                    CanSignIn = db.Users.Any(u => u.PersonId == d.Person.Id && u.OrganisationId == d.Person.OrganisationId && u.PasswordHash != null),
                })
                .ToListAsync(cancellationToken);
            var invitations = scope.ServiceProvider.GetRequiredService<Invitations>();
            // With company sign-in, nobody needs an invitation to set a password: the link signs them in through their company.
            var companySignIn = batch.Count > 0 && await scope.ServiceProvider.GetRequiredService<CompanySignIn.CompanySignInLookup>().EnabledAsync(cancellationToken);
            var people = batch.Select(i => i.Person.Id).Distinct().ToList();
            var chats = people.Count == 0 ? [] : await db.Set<Chat.ChatDelivery>().AsNoTracking().Where(c => people.Contains(c.PersonId)).ToDictionaryAsync(c => c.PersonId, cancellationToken);
            // One mail per person per batch: what one action (or a few close together) tells them arrives together.
            foreach (var forPerson in batch.GroupBy(i => i.Person.Id))
            {
                // Claim each row first: with several instances, only the one whose update wins sends it.
                var claimed = new List<(Guid Id, string Text, string Link, bool Urgent)>();
                foreach (var item in forPerson)
                {
                    var claimedAt = clock.GetUtcNow();
                    if (await db.Notifications.Where(n => n.Id == item.Id && n.EmailPending)
                        .ExecuteUpdateAsync(s => s.SetProperty(n => n.EmailPending, false).SetProperty(n => n.EmailedAt, claimedAt), cancellationToken) == 1)
                        claimed.Add((item.Id, item.Text, item.Link.Length > 0 ? item.Link : "/notifications", item.Urgent));
                }
                var first = forPerson.First();
                if (claimed.Count == 0 || !first.IsActive) continue;
                // A mail that carries anything that could wait is that person's digest: the next one goes tomorrow morning.
                bool isDigest = !first.Person.MailImmediately && claimed.Any(c => !c.Urgent);
                var news = NotificationMail.Compose(claimed.Select(c => (c.Text, c.Link)).ToList(), links);
                // Chat first, when the person chose it; a post that fails leaves the email to go, so nothing is lost.
                if (chats.TryGetValue(first.Person.Id, out var toChat)
                    && await chat.TryPostAsync(toChat, news.Subject, [.. claimed.Select(c => new Chat.ChatItem(c.Text, links.To(c.Link)))], cancellationToken)
                    && toChat.InsteadOfEmail)
                {
                    if (isDigest) await DigestSentAsync(db, first.Person, now, cancellationToken);
                    handled++;
                    continue;
                }
                var body = first.CanSignIn || companySignIn
                    ? $"Hello {first.DisplayName},\n\n{news.Body}"
                    : await WithInvitationAsync(db, invitations, first.Person, news.Text, claimed[0].Link, cancellationToken);
                if (!await mailer.TrySendAsync(first.Email, first.DisplayName, news.Subject, body, cancellationToken))
                {
                    // The mail server refused or is down: give the rows back and pause instead of spinning.
                    var ids = claimed.Select(c => c.Id).ToList();
                    await db.Notifications.Where(n => ids.Contains(n.Id))
                        .ExecuteUpdateAsync(s => s.SetProperty(n => n.EmailPending, true).SetProperty(n => n.EmailedAt, (DateTimeOffset?)null), cancellationToken);
                    return handled;
                }
                if (isDigest) await DigestSentAsync(db, first.Person, now, cancellationToken);
                handled++;
            }
        }
        return handled;
    }

    private static async Task DigestSentAsync(TacitDbContext db, Domain.People.Person person, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var next = person.NextDigestAfter(now);
        await db.People.Where(p => p.Id == person.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.NextDigestAt, next), cancellationToken);
    }

    private (DateTimeOffset Now, DateTimeOffset Gathered) Moments()
    {
        var now = clock.GetUtcNow();
        return (now, now - smtp.Value.GatherNotificationsFor);
    }

    /// <summary>
    /// Whether a person's waiting mail may go now: they want every mail at once, they have had none yet (their first
    /// mail goes at once, later ones wait for the next morning), or their daily digest is due.
    /// </summary>
    private static Expression<Func<Domain.People.Person, bool>> MayMailNow(DateTimeOffset now) =>
        p => p.MailImmediately || p.NextDigestAt == null || p.NextDigestAt <= now;

    /// <summary>
    /// The notifications to mail now: gathered for a moment (so one action's news arrives together), and either for
    /// someone whose mail may go now (<see cref="MayMailNow"/>) or time-critical. Asked in two disjoint parts that
    /// indexes answer (the people whose mail may go, then theirs; the urgent notifications of everyone else): one
    /// join of every waiting notification with its person read all of the day's digest notices, 0.5 s on three
    /// PostgreSQL processes for 612,000 of them at 100,000 people, every few seconds while nothing was due.
    /// </summary>
    private static IQueryable<DueNotification> Due(IQueryable<Domain.Notifications.Notification> notifications, IQueryable<Domain.People.Person> people,
        DateTimeOffset now, DateTimeOffset gathered)
    {
        var pending = notifications.Where(n => n.EmailPending && n.CreatedAt <= gathered);
        var mayMail = MayMailNow(now);
        var mustWait = Expression.Lambda<Func<Domain.People.Person, bool>>(Expression.Not(mayMail.Body), mayMail.Parameters);
        return people.Where(mayMail).Join(pending, p => p.Id, n => n.PersonId, (p, n) => new DueNotification { Notification = n, Person = p })
            .Concat(pending.Where(n => n.Urgent).Join(people.Where(mustWait), n => n.PersonId, p => p.Id, (n, p) => new DueNotification { Notification = n, Person = p }));
    }

    private sealed class DueNotification
    {
        public required Domain.Notifications.Notification Notification { get; init; }
        public required Domain.People.Person Person { get; init; }
    }

    /// <summary>
    /// The mail to someone who cannot sign in yet: its link is an invitation of their own that sets their password and
    /// then lands them on the page the notification is about. Earlier links they were sent keep working.
    /// </summary>
    private static async Task<string> WithInvitationAsync(TacitDbContext db, Invitations invitations, Domain.People.Person person,
        string text, string path, CancellationToken cancellationToken)
    {
        var link = invitations.Mint(person, replaceOlder: false, thenPath: path);
        await db.SaveChangesAsync(cancellationToken);
        return $"""
            Hello {person.DisplayName},

            {text}

            You do not have a Tacit account yet. This link sets your password and takes you straight there (it works for {Invitations.ValidFor.Days} days):

            {link}
            """;
    }

    /// <summary>Sends the organisation's queued mails oldest first; stops at the first refusal and tries again later.</summary>
    private async Task<(int Sent, bool Stopped)> SendOutgoingMailAsync(TacitDbContext db, CancellationToken cancellationToken)
    {
        var batch = await db.OutgoingMail.AsNoTracking().Where(m => m.Pending).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).Take(BatchSize).ToListAsync(cancellationToken);
        int sent = 0;
        foreach (var mail in batch)
        {
            var now = clock.GetUtcNow();
            int claimed = await db.OutgoingMail.Where(m => m.Id == mail.Id && m.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Pending, false).SetProperty(m => m.SentAt, now), cancellationToken);
            if (claimed == 0) continue;
            var calendar = mail.Calendar is null ? null : new CalendarAttachment(mail.Calendar, mail.CalendarMethod ?? "REQUEST", mail.CalendarFileName ?? "session.ics");
            if (!await mailer.TrySendAsync(mail.ToEmail, mail.ToName, mail.Subject, mail.Body, calendar, cancellationToken))
            {
                await db.OutgoingMail.Where(m => m.Id == mail.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.Pending, true).SetProperty(m => m.SentAt, (DateTimeOffset?)null), cancellationToken);
                return (sent, true);
            }
            sent++;
        }
        return (sent, false);
    }

}
