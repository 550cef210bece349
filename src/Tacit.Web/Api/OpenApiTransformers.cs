using System.Collections;
using System.Reflection;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Tacit.Web.Infrastructure;

namespace Tacit.Web.Api;

/// <summary>
/// What the OpenAPI document (/openapi/v1.json) says beyond the endpoints' own metadata, by rule rather than endpoint by
/// endpoint: its address (App:BaseUrl, never the request's Host), the two ways in (a bearer token or the sign-in
/// cookie), an operationId for each operation from its method and route, and the errors each can answer, as problem
/// details: 400 for any of them, 401 and 403 from the authorisation metadata, 404 where the route holds an id, 409 and
/// 422 for writes; and the optional <c>Idempotency-Key</c> header on the writes <see cref="IdempotencyMiddleware"/> honours. Summaries are the endpoints' own (<c>WithSummary</c>); a name that the rule would get wrong is the
/// endpoint's own too (<c>WithName</c>). Redocly lints the result in the tests (redocly.yaml).
/// </summary>
public static class OpenApiTransformers
{
    public const string BearerScheme = "bearer";
    public const string CookieScheme = "cookie";
    public const string ProblemSchema = "ProblemDetails";
    public const string IdempotencyKeyParameter = "IdempotencyKey";

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["People"] = "The organisation's people: the directory, their profiles and recognition; admins add, change and deactivate them.",
        ["Skills"] = "The skill catalogue and the suggestions people make for it.",
        ["Shares"] = "What people can share: \"I can share\" entries.",
        ["Wants"] = "What people want to learn: \"I want to learn\" entries.",
        ["Cycles"] = "Learning cycles, from enrolment and the intake through matching and publishing to the review.",
        ["Notifications"] = "The signed-in person's notifications.",
        ["Offers and sessions"] = "Offers, the sessions they become, feedback, follow-ups and commitments: only the people in them see them.",
        ["Knowledge"] = "Who knows what across the organisation.",
        ["Demo"] = "The demo organisation, for anyone, while the server offers it.",
        ["Audit"] = "The audit log: what admins and facilitators did, when and to what (admins).",
        ["Chat delivery"] = "The signed-in person's choice to receive their notifications in Slack or Teams as well as or instead of email (docs/integrations.md).",
        ["Calendar feed"] = "The signed-in person's private iCalendar feed of their sessions: made, renewed and revoked here (docs/integrations.md).",
        ["Webhooks"] = "Addresses subscribed to Tacit's events, signed per Standard Webhooks, and their deliveries (admins; docs/integrations.md).",
        ["Learning record"] = "The signed-in person's own learning record and its exports (CSV, xAPI statements), and training done elsewhere that a colleague may confirm: only they (and that colleague) see it.",
        ["Evidence packs"] = "Parts of a person's learning record they share, by consent, with their manager or an admin, and can withdraw; who opened each (docs/security.md).",
        ["Credentials"] = "Open Badges 3.0 credentials the signed-in person claims for skills their peers validated: VC-JWTs signed by the organisation that any verifier can check offline (docs/credentials.md).",
        ["Insight"] = "The insight HR plans with: training needs, succession risk, teaching credit and the learning network across departments; figures about people only for five or more (facilitators and admins; docs/insight.md).",
    };

    public static void Describe(OpenApiOptions options)
    {
        options.AddOperationTransformer((operation, context, _) =>
        {
            DescribeOperation(operation, context.Description, context.Document);
            return Task.CompletedTask;
        });
        options.AddDocumentTransformer((document, context, _) =>
        {
            DescribeDocument(document, context.ApplicationServices);
            return Task.CompletedTask;
        });
    }

    private static void DescribeDocument(OpenApiDocument document, IServiceProvider services)
    {
        document.Info.Title = "Tacit API";
        document.Info.Description = "Tacit's REST API: people, skills, learning cycles, offers and sessions of one organisation. "
            + "Errors are RFC 9457 problem details. See docs/api.md.";
        document.Servers = [new OpenApiServer { Url = services.GetRequiredService<IOptions<Infrastructure.LinkOptions>>().Value.BaseUrl.TrimEnd('/') }];

        var cookie = services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme).Cookie.Name;
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "tacit_…",
                Description = "An API token (Settings → API tokens, or `tacit token create`): one organisation, one role and what it includes, no person. "
                    + "Endpoints about \"me\" answer 403 to a token.",
            },
            [CookieScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Cookie,
                Name = cookie,
                Description = "The sign-in cookie a browser gets at /signin: the signed-in person, with their roles.",
            },
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 problem details; `errors` names the field at fault (422).",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
        };
        document.Components.Parameters ??= new Dictionary<string, IOpenApiParameter>();
        document.Components.Parameters[IdempotencyKeyParameter] = new OpenApiParameter
        {
            Name = IdempotencyMiddleware.KeyHeader,
            In = ParameterLocation.Header,
            Required = false,
            Description = "Makes a retry safe: send a new key (a UUID) with the write, and the same key with the same request when you retry. "
                + "A retry after the write took effect gets its first answer again, marked `Idempotent-Replayed: true`; nothing is written twice. "
                + "Kept for 24 hours, per token or person. See docs/api.md, \"Retries and Idempotency-Key\".",
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                MinLength = 1,
                MaxLength = Data.IdempotentRequest.KeyMaxLength,
                Pattern = "^[!-~]+$",
            },
        };
        foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description)) tag.Description = description;
    }

    private static void DescribeOperation(OpenApiOperation operation, ApiDescription description, OpenApiDocument? document)
    {
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var method = description.HttpMethod ?? "GET";
        var route = description.RelativePath ?? "";
        operation.OperationId ??= OperationIdOf(method, route,
            returnsList: description.SupportedResponseTypes.Any(r => r.StatusCode == StatusCodes.Status200OK && IsList(r.Type)),
            creates: description.SupportedResponseTypes.Any(r => r.StatusCode is StatusCodes.Status201Created or StatusCodes.Status202Accepted));

        var signedIn = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        operation.Security = signedIn
            ? [Requirement(BearerScheme, document), Requirement(CookieScheme, document)]
            : [];

        // A handler that asks who is calling acts for a person: a token (no person) or someone else's entry is 403.
        var actsForPerson = metadata.OfType<MethodInfo>().Any(m => m.GetParameters().Any(p => p.ParameterType == typeof(CurrentUser)));
        var roleAboveMember = metadata.OfType<IAuthorizeData>().Any(a => a.Policy is not (null or Policies.Member));
        var write = method is "POST" or "PUT" or "DELETE" or "PATCH";

        operation.Responses ??= [];
        Problem(operation, StatusCodes.Status400BadRequest, "The request is malformed: not JSON, the wrong shape, or a control character in the address.");
        if (signedIn) Problem(operation, StatusCodes.Status401Unauthorized, "No credentials, or an unknown or revoked token.");
        if (signedIn && (actsForPerson || roleAboveMember))
            Problem(operation, StatusCodes.Status403Forbidden, "The role does not allow it, or it is another person's, or a token asked about \"me\".");
        if (description.ParameterDescriptions.Any(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Path))
            Problem(operation, StatusCodes.Status404NotFound, "No such id in your organisation.");
        // IdempotencyMiddleware honours the key on every write under /api by someone signed in.
        if (write && signedIn && route.StartsWith("api/", StringComparison.Ordinal))
            operation.Parameters = [.. operation.Parameters ?? [], new OpenApiParameterReference(IdempotencyKeyParameter, document)];
        if (write)
        {
            Problem(operation, StatusCodes.Status409Conflict, "It conflicts with the current state: a duplicate, or a step out of order.");
            Problem(operation, StatusCodes.Status422UnprocessableEntity, "A value breaks a rule; `errors` names the field.");
        }
    }

    /// <summary>
    /// listPeople, getPerson, createPerson, updateSkill, deleteShare, listCycleRuns; an action after the id names the
    /// verb: declineOffer, startCycleEnrolment, mergeSkillInto; "me" and "mine" read "my": getMyCycleIntake.
    /// </summary>
    public static string OperationIdOf(string method, string route, bool returnsList, bool creates)
    {
        var literals = route.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1) // "api"
            .Where(s => !s.StartsWith('{')).ToList();
        var mine = literals.RemoveAll(s => s is "me" or "mine") > 0;
        string verb;
        string[] tail = [];
        if (method == "POST" && !creates)
        {
            var action = Words(literals[^1]);
            literals.RemoveAt(literals.Count - 1);
            (verb, tail) = (action[0], [.. action.Skip(1).Select(Capitalised)]);
        }
        else verb = method switch { "GET" => returnsList ? "list" : "get", "POST" => "create", "PUT" => "update", _ => "delete" };
        var nouns = literals.Select((literal, i) =>
        {
            var words = Words(literal).Select(Capitalised).ToArray();
            // The last noun of a list stays plural; every other names one thing.
            if (verb != "list" || i < literals.Count - 1) words[^1] = Singular(words[^1]);
            return string.Concat(words);
        });
        return verb + (mine ? "My" : "") + string.Concat(nouns) + string.Concat(tail);
    }

    private static string[] Words(string literal) => literal.ToLowerInvariant().Split('-');

    private static string Capitalised(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    private static string Singular(string word) =>
        word == "People" ? "Person" : word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) ? word[..^1] : word;

    private static bool IsList(Type? type) =>
        type is not null && type != typeof(string)
        && (typeof(IEnumerable).IsAssignableFrom(type) || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Page<>)));

    /// <summary>Either scheme will do: two requirements, each of one scheme. The reference is resolved when the document is written.</summary>
    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    private static void Problem(OpenApiOperation operation, int status, string description)
    {
        operation.Responses![status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema) },
            },
        };
    }
}
