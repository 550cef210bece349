using Tacit.Web.Infrastructure;

namespace Tacit.Web.Features.Credentials;

/// <summary>The signed-in person's own credentials: only ever for themselves, so the route takes no person id.</summary>
public static class CredentialsApi
{
    public static void MapCredentialsApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/me/credentials", IssueAsync).WithTags("Credentials")
            .Produces<IssuedCredential>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("issueMyCredential")
            .WithSummary("Issue me an Open Badges 3.0 credential for a skill peers validated (`{skillId}`): a VC-JWT signed by the organisation (ES256, did:jwk), and the credential it signs (docs/credentials.md). 422 for a skill not validated.");
    }

    private static Task<IssuedCredential> IssueAsync(CredentialRequest body, SkillCredentials credentials, CurrentUser current, CancellationToken ct) =>
        credentials.IssueAsync(current.RequirePerson(), body.SkillId ?? throw new Domain.DomainException("Give the skill's id.", "SkillId"), ct);
}

public sealed record CredentialRequest(Guid? SkillId);
