using System.Text.Json;
using Tacit.Domain.People;
using Tacit.Web.Api;
using Tacit.Web.Features.People;
using Tacit.Web.Features.Skills;
using Tacit.Web.Features.Webhooks;

namespace Tacit.Web.Tests.Tenancy;

/// <summary>Organisation A, signed in or with an admin token, can neither see nor change anything of organisation B.</summary>
public abstract class TenancyTests(TacitApp app)
{
    private sealed record OtherOrganisation(Guid OrganisationId, Guid PersonId, Guid SkillId, Guid ShareId, Guid WantId, Guid ImportId, Guid WebhookId, Guid DeliveryId, HttpClient Client);

    private async Task<OtherOrganisation> SeedOrganisationBAsync()
    {
        var b = await app.CreateOrganisationAsync("tenant-b-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await app.ClientWithTokenAsync(b.Organisation.Id, Roles.Admin);
        // Port 9 (discard) refuses on loopback: B's delivery stays pending, retried, never anyone else's.
        var webhook = (await client.PostAsJsonAsync("/api/webhooks", new { url = "http://127.0.0.1:9/b-hook", events = new[] { WebhookEventTypes.PersonAdded } })
            .ReadAsync<CreatedWebhookDto>(HttpStatusCode.Created)).Webhook;
        var personId = (await client.PostAsJsonAsync("/api/people", new { email = "secret@b.example", displayName = "B Person" }).ReadAsync<PersonDto>(HttpStatusCode.Created)).Id;
        var skillId = (await client.PostAsJsonAsync("/api/skills", new { name = "B-only skill", category = "Secret" }).ReadAsync<SkillSummary>(HttpStatusCode.Created)).Id;
        var share = await client.PostAsJsonAsync("/api/shares", new { personId, skillId, level = 3, sessionsPerCycle = 2, acceptsGroups = false, maxGroupSize = 1 })
            .ReadAsync<ShareDto>(HttpStatusCode.Created);
        var want = await client.PostAsJsonAsync("/api/wants", new { personId = b.Admin.Id, skillId, priority = "high" }).ReadAsync<WantDto>(HttpStatusCode.Created);
        var import = await app.InScopeAsync(b.Organisation.Id, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            var pending = new PendingImport { OrganisationId = b.Organisation.Id, FileName = "b.csv", Content = "name,email\nX,x@b.example\n", UploadedBy = b.Admin.Id };
            db.PendingImports.Add(pending);
            await db.SaveChangesAsync();
            return pending.Id;
        });
        var delivery = Assert.Single(await client.GetJsonAsync<List<WebhookDeliveryView>>($"/api/webhooks/{webhook.Id}/deliveries"));
        return new OtherOrganisation(b.Organisation.Id, personId, skillId, share.Id, want.Id, import, webhook.Id, delivery.Id, client);
    }

    [Fact]
    public async Task Api_answers_404_for_every_id_of_another_organisation_and_changes_nothing()
    {
        var b = await SeedOrganisationBAsync();
        var a = await app.CreateOrganisationAsync("tenant-a-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await app.ClientWithTokenAsync(a.Organisation.Id, Roles.Admin);
        var aSkill = (await client.GetJsonAsync<Page<SkillSummary>>("/api/skills?pageSize=1")).Items[0].Id;

        var attempts = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Get, $"/api/people/{b.PersonId}", null),
            (HttpMethod.Put, $"/api/people/{b.PersonId}", new { email = "stolen@a.example", displayName = "Stolen" }),
            (HttpMethod.Delete, $"/api/people/{b.PersonId}", null),
            (HttpMethod.Get, $"/api/people/{b.PersonId}/leaving", null),
            (HttpMethod.Put, $"/api/people/{b.PersonId}/leaving", new { leavingOn = "2027-06-01" }),
            (HttpMethod.Get, $"/api/skills/{b.SkillId}", null),
            (HttpMethod.Put, $"/api/skills/{b.SkillId}", new { name = "Stolen", category = "Stolen" }),
            (HttpMethod.Delete, $"/api/skills/{b.SkillId}", null),
            (HttpMethod.Post, $"/api/skills/{b.SkillId}/merge-into/{aSkill}", null),
            (HttpMethod.Post, $"/api/skills/{aSkill}/merge-into/{b.SkillId}", null),
            (HttpMethod.Get, $"/api/shares/{b.ShareId}", null),
            (HttpMethod.Put, $"/api/shares/{b.ShareId}", new { level = 1, sessionsPerCycle = 1, acceptsGroups = false, maxGroupSize = 1 }),
            (HttpMethod.Delete, $"/api/shares/{b.ShareId}", null),
            (HttpMethod.Get, $"/api/wants/{b.WantId}", null),
            (HttpMethod.Put, $"/api/wants/{b.WantId}", new { personId = b.PersonId, skillId = b.SkillId, priority = "low" }),
            (HttpMethod.Delete, $"/api/wants/{b.WantId}", null),
            (HttpMethod.Get, $"/api/webhooks/{b.WebhookId}", null),
            (HttpMethod.Get, $"/api/webhooks/{b.WebhookId}/deliveries", null),
            (HttpMethod.Post, $"/api/webhooks/{b.WebhookId}/resume", null),
            (HttpMethod.Delete, $"/api/webhooks/{b.WebhookId}", null),
            (HttpMethod.Post, $"/api/webhooks/deliveries/{b.DeliveryId}/replay", null),
            (HttpMethod.Post, $"/api/insight/succession/{b.SkillId}/pass-it-on", null),
        };
        foreach (var (method, path, body) in attempts)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} answered {(int)response.StatusCode}, not 404");
        }

        // Creating rows that point at B's people or skills is refused too.
        var crossShare = await client.PostAsJsonAsync("/api/shares", new { personId = b.PersonId, skillId = aSkill, level = 3, sessionsPerCycle = 1, acceptsGroups = false, maxGroupSize = 1 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, crossShare.StatusCode);
        var crossWant = await client.PostAsJsonAsync("/api/wants", new { personId = a.Admin.Id, skillId = b.SkillId, priority = "high" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, crossWant.StatusCode);

        // Lists never show B's rows.
        Assert.DoesNotContain("B Person", await client.GetStringAsync("/api/people?pageSize=200"), StringComparison.Ordinal);
        Assert.DoesNotContain("B-only skill", await client.GetStringAsync("/api/skills?q=B-only"), StringComparison.Ordinal);
        Assert.Equal(0, (await client.GetJsonAsync<Page<ShareDto>>($"/api/shares?skillId={b.SkillId}")).Total);
        Assert.Empty(await client.GetJsonAsync<List<WebhookDto>>("/api/webhooks"));
        foreach (var insight in new[] { "/api/insight/training-needs", "/api/insight/succession", "/api/insight/network", "/api/insight/teaching-credit" })
            Assert.DoesNotContain("B-only skill", await client.GetStringAsync(insight), StringComparison.Ordinal);

        // B's data is exactly as it was.
        var person = await b.Client.GetJsonAsync<PersonDto>($"/api/people/{b.PersonId}");
        Assert.Equal(("B Person", "secret@b.example", true), (person.DisplayName, person.Email, person.IsActive));
        Assert.Equal("B-only skill", (await b.Client.GetJsonAsync<SkillSummary>($"/api/skills/{b.SkillId}")).Name);
        Assert.Equal(3, (await b.Client.GetJsonAsync<ShareDto>($"/api/shares/{b.ShareId}")).Level);
        Assert.Equal(b.WebhookId, Assert.Single(await b.Client.GetJsonAsync<List<WebhookDto>>("/api/webhooks")).Id);
        // The JSON itself, once for a want: its priority is written as a camelCase name.
        Assert.Equal("high", (await b.Client.GetJsonAsync<JsonElement>($"/api/wants/{b.WantId}")).GetProperty("priority").GetString());
    }

    [Fact]
    public async Task Scim_answers_404_for_every_user_and_group_of_another_organisation_and_changes_nothing()
    {
        var b = await SeedOrganisationBAsync();
        var bScim = await ScimClientAsync(b.OrganisationId);
        const string groupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
        using var groupCreated = await bScim.PostAsync("/scim/v2/Groups", ScimJson($$"""{"schemas":["{{groupSchema}}"],"displayName":"B secret team","members":[{"value":"{{b.PersonId}}"}]}"""));
        Assert.Equal(HttpStatusCode.Created, groupCreated.StatusCode);
        var groupId = JsonDocument.Parse(await groupCreated.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        var a = await app.CreateOrganisationAsync("tenant-sa-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await ScimClientAsync(a.Organisation.Id);
        const string userSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
        const string patch = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}""";
        var attempts = new (HttpMethod, string, string?)[]
        {
            (HttpMethod.Get, $"/scim/v2/Users/{b.PersonId}", null),
            (HttpMethod.Put, $"/scim/v2/Users/{b.PersonId}", $$"""{"schemas":["{{userSchema}}"],"userName":"stolen@a.example"}"""),
            (HttpMethod.Patch, $"/scim/v2/Users/{b.PersonId}", patch),
            (HttpMethod.Delete, $"/scim/v2/Users/{b.PersonId}", null),
            (HttpMethod.Get, $"/scim/v2/Groups/{groupId}", null),
            (HttpMethod.Put, $"/scim/v2/Groups/{groupId}", $$"""{"schemas":["{{groupSchema}}"],"displayName":"Stolen"}"""),
            (HttpMethod.Patch, $"/scim/v2/Groups/{groupId}", """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"displayName","value":"Stolen"}]}"""),
            (HttpMethod.Delete, $"/scim/v2/Groups/{groupId}", null),
        };
        foreach (var (method, path, body) in attempts)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : ScimJson(body) };
            var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} answered {(int)response.StatusCode}, not 404");
        }
        // Naming B's person as a member or manager is refused; lists and filters never show B's rows.
        using var cross = await client.PostAsync("/scim/v2/Groups", ScimJson($$"""{"schemas":["{{groupSchema}}"],"displayName":"Mine","members":[{"value":"{{b.PersonId}}"}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, cross.StatusCode);
        Assert.DoesNotContain("secret@b.example", await client.GetStringAsync("/scim/v2/Users?filter=" + Uri.EscapeDataString("userName eq \"secret@b.example\"")), StringComparison.Ordinal);
        Assert.DoesNotContain("B Person", await client.GetStringAsync("/scim/v2/Users"), StringComparison.Ordinal);
        Assert.DoesNotContain("B secret team", await client.GetStringAsync("/scim/v2/Groups"), StringComparison.Ordinal);

        var person = await b.Client.GetJsonAsync<PersonDto>($"/api/people/{b.PersonId}");
        Assert.Equal(("B Person", "secret@b.example", true, "B secret team"), (person.DisplayName, person.Email, person.IsActive, person.Department));
        Assert.Contains("B secret team", await bScim.GetStringAsync($"/scim/v2/Groups/{groupId}"), StringComparison.Ordinal);
    }

    private async Task<HttpClient> ScimClientAsync(Guid organisationId)
    {
        var (_, secret) = await app.InScopeAsync(organisationId, sp => sp.GetRequiredService<Tacit.Web.Features.Settings.ApiTokenService>().CreateAsync(organisationId, "IdP", "scim"));
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    private static StringContent ScimJson(string body) => new(body, System.Text.Encoding.UTF8, "application/scim+json");

    [Fact]
    public async Task Pages_answer_404_for_ids_of_another_organisation()
    {
        var b = await SeedOrganisationBAsync();
        var a = await app.CreateOrganisationAsync("tenant-pa-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await Pages.SignedInClientAsync(app, a.AdminUser.Email!, "correct-horse-battery");

        foreach (var path in new[] { $"/people/{b.PersonId}", $"/people/{b.PersonId}/edit", $"/skills/{b.SkillId}/edit", $"/people/import/{b.ImportId}" })
        {
            var (status, html) = await Pages.GetAsync(client, path);
            Assert.True(status == HttpStatusCode.NotFound, $"{path} answered {(int)status}");
            Assert.DoesNotContain("B Person", html, StringComparison.Ordinal);
            Assert.DoesNotContain("B-only skill", html, StringComparison.Ordinal);
        }

        var (_, directory) = await Pages.GetAsync(client, "/people?q=B%20Person");
        Assert.Contains("0 people found", directory, StringComparison.Ordinal);
        Assert.DoesNotContain($"/people/{b.PersonId}", directory, StringComparison.Ordinal);
        var (_, skills) = await Pages.GetAsync(client, "/skills?q=B-only");
        Assert.Contains("0 skills found", skills, StringComparison.Ordinal);
    }
    [Fact]
    public async Task Training_evidence_packs_and_skills_to_credential_of_another_organisation_are_404_to_its_people_through_api_exports_and_pages()
    {
        var b = await SeedOrganisationBAsync();
        var (trainingId, packId) = await app.InScopeAsync(b.OrganisationId, async sp =>
        {
            var db = sp.GetRequiredService<TacitDbContext>();
            var adminId = await db.People.Where(p => p.Id != b.PersonId).Select(p => p.Id).FirstAsync();
            var now = TimeProvider.System.GetUtcNow();
            var training = new Tacit.Web.Features.Evidence.SubmittedTraining(b.OrganisationId, b.PersonId, "B secret course", new DateOnly(2026, 1, 5), 3, [], "", adminId, now);
            var pack = new Tacit.Web.Features.Evidence.EvidencePack(b.OrganisationId, b.PersonId, "B secret pack", null, null, Tacit.Web.Features.Evidence.PackContents.All, adminId, now);
            db.AddRange(training, pack);
            await db.SaveChangesAsync();
            return (training.Id, pack.Id);
        });
        var a = await app.CreateOrganisationAsync("tenant-ea-" + Guid.NewGuid().ToString("N")[..6]);
        var client = await Pages.SignedInClientAsync(app, a.AdminUser.Email!, "correct-horse-battery");
        var attempts = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Get, $"/api/training/{trainingId}", null),
            (HttpMethod.Get, $"/api/training/{trainingId}/file", null),
            (HttpMethod.Post, $"/api/training/{trainingId}/answer", new { confirmed = true }),
            (HttpMethod.Delete, $"/api/me/training/{trainingId}", null),
            (HttpMethod.Get, $"/api/packs/{packId}", null),
            (HttpMethod.Get, $"/api/packs/{packId}?format=csv", null),
            (HttpMethod.Delete, $"/api/me/packs/{packId}", null),
            (HttpMethod.Post, "/api/me/credentials", new { skillId = b.SkillId }),
        };
        foreach (var (method, path, body) in attempts)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} answered {(int)response.StatusCode}, not 404");
        }
        foreach (var path in new[] { $"/training/{trainingId}", $"/packs/{packId}" })
        {
            var (status, html) = await Pages.GetAsync(client, path);
            Assert.True(status == HttpStatusCode.NotFound, $"{path} answered {(int)status}");
            Assert.DoesNotContain("B secret", html, StringComparison.Ordinal);
        }
        foreach (var path in new[] { "/api/me/training", "/api/training/awaiting-me", "/api/me/packs", "/api/packs/shared-with-me" })
            Assert.DoesNotContain("B secret", await client.GetStringAsync(path), StringComparison.Ordinal);
        // B's rows are as they were.
        Assert.True(await app.InScopeAsync(b.OrganisationId, sp => sp.GetRequiredService<TacitDbContext>().Set<Tacit.Web.Features.Evidence.SubmittedTraining>()
            .AnyAsync(t => t.Id == trainingId && t.Confirmation == Tacit.Web.Features.Evidence.TrainingConfirmation.Pending)));
        Assert.True(await app.InScopeAsync(b.OrganisationId, sp => sp.GetRequiredService<TacitDbContext>().Set<Tacit.Web.Features.Evidence.EvidencePack>()
            .AnyAsync(p => p.Id == packId && p.WithdrawnAt == null)));
    }
}

public sealed class TenancySqliteTests(SqliteApp app) : TenancyTests(app), IClassFixture<SqliteApp>;

public sealed class TenancyPostgresTests(PostgresApp app) : TenancyTests(app), IClassFixture<PostgresApp>;
