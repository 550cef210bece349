using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tacit.Domain.People;
using Tacit.Testing;
using Tacit.Web.Api;
using Tacit.Web.Data;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Tests.Infrastructure;

/// <summary>
/// PostgreSQL goes away under a running app (its connections cut, new ones refused) and comes back: meanwhile the API
/// and the pages answer 503 with Retry-After, never 500, and the app serves again as soon as the database is back.
/// </summary>
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task While_the_database_is_away_requests_answer_503_and_then_serve_again()
    {
        using var relay = new TcpRelay();
        relay.Start();
        await using var app = new RelayedPostgresApp(relay.Port);
        var created = await app.CreateOrganisationAsync("outage");
        var api = await app.ClientWithTokenAsync(created.Organisation.Id, Roles.Member);
        var browser = await Pages.SignedInClientAsync(app, created.Admin.Email, "correct-horse-battery");
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/skills")).StatusCode);

        relay.Cut();
        using var refused = await api.GetAsync("/api/skills");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(refused.Headers.RetryAfter);
        var (status, html) = await Pages.GetAsync(browser, "/skills");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("cannot reach its database", html, StringComparison.Ordinal);

        relay.Resume();
        // Connections broken by the cut are dropped by the pool as they fail; within a few tries the app serves again.
        var served = HttpStatusCode.ServiceUnavailable;
        for (var tries = 0; tries < 20 && served != HttpStatusCode.OK; tries++)
        {
            served = (await api.GetAsync("/api/skills")).StatusCode;
            if (served != HttpStatusCode.OK) await Task.Delay(250);
        }
        Assert.Equal(HttpStatusCode.OK, served);
    }

    /// <summary>
    /// A keyed write that failed because the database went away leaves its key to be let go once the database is back
    /// (docs/api.md, "Retries and Idempotency-Key"), not "in progress" for <see cref="IdempotencyKeys.StalledAfter"/>:
    /// a client retrying after a restart of a second runs its write afresh at once instead of hearing 409 for a minute.
    /// </summary>
    [Fact]
    public async Task A_key_that_could_not_be_let_go_while_the_database_was_away_is_let_go_once_it_is_back()
    {
        using var relay = new TcpRelay();
        relay.Start();
        await using var app = new RelayedPostgresApp(relay.Port);
        var organisationId = (await app.CreateOrganisationAsync("outage-key")).Organisation.Id;
        var claim = await app.InScopeAsync(organisationId, sp => sp.GetRequiredService<IdempotencyKeys>()
            .ClaimAsync(Guid.NewGuid(), "cut-off", SHA256.HashData("POST /api/skills"u8), CancellationToken.None));

        relay.Cut();
        await app.InScopeAsync(organisationId, async sp =>
        {
            await sp.GetRequiredService<IdempotencyKeys>().ReleaseAsync(claim);
            return true;
        });
        relay.Resume();

        await Poll.UntilAsync(async () =>
        {
            try
            {
                return !await app.InScopeAsync(organisationId, sp => sp.GetRequiredService<TacitDbContext>().IdempotentRequests.AnyAsync(r => r.Id == claim.Id));
            }
            catch (Exception e) when (ProblemDetailsExceptionHandler.DatabaseUnreachable(e))
            {
                return false; // a connection the cut broke, dropped by the pool as it fails
            }
        }, "The key let go after the outage", TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// The connection under a request's transaction is cut and the statement that meets the cut does not say so (Npgsql
    /// can read PostgreSQL's "terminating connection" while finishing an answer it already gave, as it did under the
    /// reliability test's restart): the request's next statement finds the transaction over. That is the database
    /// away (503), not an unexpected failure (500).
    /// </summary>
    [Fact]
    public async Task A_request_transaction_whose_connection_was_cut_unheard_is_the_database_away()
    {
        using var relay = new TcpRelay();
        relay.Start();
        await using var app = new RelayedPostgresApp(relay.Port);
        var organisationId = (await app.CreateOrganisationAsync("outage-cut")).Organisation.Id;

        var failure = await app.InScopeAsync(organisationId, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            return await Record.ExceptionAsync(() => sp.GetRequiredService<RequestTransaction>().RunAsync(async () =>
            {
                var backend = await db.Database.SqlQuery<int>($"SELECT pg_backend_pid() AS \"Value\"").SingleAsync();
                await using (var server = new NpgsqlConnection(PostgresApp.ServerConnection))
                {
                    await server.OpenAsync();
                    await using var terminate = new NpgsqlCommand($"SELECT pg_terminate_backend({backend}, 5000)", server);
                    await terminate.ExecuteScalarAsync();
                }
                try
                {
                    await db.Skills.CountAsync();
                }
                catch (Exception e) when (ProblemDetailsExceptionHandler.DatabaseUnreachable(e))
                {
                    // unheard, as when Npgsql meets the cut while finishing an earlier answer
                }
                // A statement outside the change tracker, as storing the request's answer is.
                await db.IdempotentRequests.Where(r => r.Id == Guid.Empty).ExecuteDeleteAsync();
                return true;
            }, CancellationToken.None));
        });

        Assert.NotNull(failure);
        Assert.True(ProblemDetailsExceptionHandler.StatusOf(failure) == StatusCodes.Status503ServiceUnavailable, failure.ToString());
    }

    /// <summary>The app on its own PostgreSQL database, reached through <see cref="TcpRelay"/>.</summary>
    private sealed class RelayedPostgresApp(int relayPort) : TacitApp
    {
        private readonly string database = $"tacit_test_{Guid.NewGuid():N}";

        public override TacitApp AnotherInstance(bool runsReminders) => throw new NotSupportedException();

        protected override string Provider => "Postgres";

        protected override string ConnectionString =>
            new NpgsqlConnectionStringBuilder(PostgresApp.ServerConnection) { Host = "127.0.0.1", Port = relayPort, Database = database, Timeout = 3 }.ConnectionString;

        protected override void Cleanup()
        {
            base.Cleanup();
            NpgsqlConnection.ClearAllPools();
            using var connection = new NpgsqlConnection(PostgresApp.ServerConnection);
            connection.Open();
            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            drop.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// A TCP relay on loopback in front of the test's PostgreSQL server. <see cref="Cut"/> closes every connection and
    /// refuses new ones, as a database host that went down would; <see cref="Resume"/> lets them through again.
    /// </summary>
    private sealed class TcpRelay : IDisposable
    {
        private readonly List<TcpClient> open = [];
        private readonly CancellationTokenSource stopped = new();
        private TcpListener? listener;
        private readonly NpgsqlConnectionStringBuilder target = new(PostgresApp.ServerConnection);

        public int Port { get; private set; }

        public void Start()
        {
            // Below 32768, outside the ephemeral range, as every server the tests start.
            for (var port = 26100; listener is null && port < 26400; port++)
            {
                try
                {
                    var candidate = new TcpListener(IPAddress.Loopback, port);
                    candidate.Start();
                    (listener, Port) = (candidate, port);
                }
                catch (SocketException) { }
            }
            if (listener is null) throw new InvalidOperationException("No free loopback port between 26100 and 26400.");
            _ = AcceptAsync(listener);
        }

        public void Cut()
        {
            listener?.Stop();
            listener = null;
            lock (open)
            {
                foreach (var client in open) client.Dispose();
                open.Clear();
            }
        }

        public void Resume()
        {
            listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Start();
            _ = AcceptAsync(listener);
        }

        private async Task AcceptAsync(TcpListener accepting)
        {
            while (!stopped.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await accepting.AcceptTcpClientAsync(stopped.Token); }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException) { return; }
                var server = new TcpClient();
                try { await server.ConnectAsync(target.Host!, target.Port, stopped.Token); }
                catch (Exception e) when (e is SocketException or OperationCanceledException) { client.Dispose(); server.Dispose(); continue; }
                lock (open) { open.Add(client); open.Add(server); }
                _ = PumpAsync(client, server);
                _ = PumpAsync(server, client);
            }
        }

        private async Task PumpAsync(TcpClient from, TcpClient to)
        {
            try { await from.GetStream().CopyToAsync(to.GetStream(), stopped.Token); }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException) { }
            from.Dispose();
            to.Dispose();
        }

        public void Dispose()
        {
            stopped.Cancel();
            Cut();
            stopped.Dispose();
        }
    }
}
