using System.Text.Json.Nodes;

namespace Tacit.Web.Features.Scim;

/// <summary>The schema URNs Tacit speaks and its discovery documents (RFC 7643 §5–7, RFC 7644 §4).</summary>
public static class ScimSchemas
{
    public const string User = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string Group = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public const string EnterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public const string ListResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    public const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    public const string Error = "urn:ietf:params:scim:api:messages:2.0:Error";
    public const string ServiceProviderConfig = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
    public const string ResourceType = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
    public const string Schema = "urn:ietf:params:scim:schemas:core:2.0:Schema";

    public static readonly string[] Known = [User, Group, EnterpriseUser];

    public static bool IsCore(string schema) =>
        string.Equals(schema, User, StringComparison.OrdinalIgnoreCase) || string.Equals(schema, Group, StringComparison.OrdinalIgnoreCase);

    /// <summary>The most resources one list answers with, whatever count asks for.</summary>
    public const int MaxResults = 200;

    public static JsonObject ServiceProviderConfigDocument(string baseUrl) => new()
    {
        ["schemas"] = new JsonArray(ServiceProviderConfig),
        ["patch"] = new JsonObject { ["supported"] = true },
        ["bulk"] = new JsonObject { ["supported"] = false, ["maxOperations"] = 0, ["maxPayloadSize"] = 0 },
        ["filter"] = new JsonObject { ["supported"] = true, ["maxResults"] = MaxResults },
        ["changePassword"] = new JsonObject { ["supported"] = false },
        ["sort"] = new JsonObject { ["supported"] = false },
        ["etag"] = new JsonObject { ["supported"] = true },
        ["authenticationSchemes"] = new JsonArray(new JsonObject
        {
            ["type"] = "oauthbearertoken",
            ["name"] = "Bearer token",
            ["description"] = "A SCIM token an admin creates at Settings → API tokens (role scim), sent as Authorization: Bearer.",
            ["primary"] = true,
        }),
        ["meta"] = new JsonObject { ["resourceType"] = "ServiceProviderConfig", ["location"] = baseUrl + "/ServiceProviderConfig" },
    };

    public static JsonObject ResourceTypeDocument(string name, string baseUrl) => name switch
    {
        "User" => new JsonObject
        {
            ["schemas"] = new JsonArray(ResourceType),
            ["id"] = "User",
            ["name"] = "User",
            ["endpoint"] = "/Users",
            ["description"] = "A person of the organisation; userName is their email.",
            ["schema"] = User,
            ["schemaExtensions"] = new JsonArray(new JsonObject { ["schema"] = EnterpriseUser, ["required"] = false }),
            ["meta"] = new JsonObject { ["resourceType"] = "ResourceType", ["location"] = baseUrl + "/ResourceTypes/User" },
        },
        "Group" => new JsonObject
        {
            ["schemas"] = new JsonArray(ResourceType),
            ["id"] = "Group",
            ["name"] = "Group",
            ["endpoint"] = "/Groups",
            ["description"] = "A department: its members are the people whose department it is.",
            ["schema"] = Group,
            ["meta"] = new JsonObject { ["resourceType"] = "ResourceType", ["location"] = baseUrl + "/ResourceTypes/Group" },
        },
        _ => throw new ScimException(404, null, $"There is no resource type '{name}'; there are User and Group."),
    };

    public static JsonObject SchemaDocument(string id, string baseUrl)
    {
        var (name, description, attributes) = id switch
        {
            User => ("User", "User Account", new JsonArray(
                Attribute("userName", required: true, uniqueness: "server", description: "The person's email; also their sign-in."),
                Attribute("externalId", caseExact: true, description: "The identity provider's id for the person."),
                Complex("name", [Attribute("formatted"), Attribute("givenName"), Attribute("familyName")], description: "Read from formatted, or givenName and familyName; Tacit keeps one name, the display name."),
                Attribute("displayName", description: "The name Tacit shows."),
                Attribute("title", description: "Job title."),
                Attribute("timezone", description: "IANA time zone, such as Europe/London."),
                Attribute("active", type: "boolean", description: "false deactivates the person (docs/scim.md, leavers)."),
                Complex("emails", [Attribute("value"), Attribute("type"), Attribute("primary", type: "boolean")], multiValued: true, description: "The primary (or work, or first) email becomes userName when userName is absent."),
                Complex("groups", [Attribute("value", mutability: "readOnly"), Attribute("display", mutability: "readOnly")], multiValued: true, mutability: "readOnly", description: "The person's department, as a group."))),
            Group => ("Group", "Group", new JsonArray(
                Attribute("displayName", required: true, uniqueness: "server", description: "The department's name."),
                Attribute("externalId", caseExact: true),
                Complex("members", [Attribute("value", mutability: "immutable"), Attribute("display", mutability: "readOnly"), Attribute("type", mutability: "immutable")], multiValued: true,
                    description: "People whose department this is; a person is in one department at a time."))),
            EnterpriseUser => ("EnterpriseUser", "Enterprise user", new JsonArray(
                Attribute("department", description: "The person's department (the group of that name)."),
                Complex("manager", [Attribute("value", description: "The manager's id."), Attribute("displayName", mutability: "readOnly")], description: "Their manager, by id."))),
            _ => throw new ScimException(404, null, $"There is no schema '{id}'."),
        };
        return new JsonObject
        {
            ["schemas"] = new JsonArray(Schema),
            ["id"] = id,
            ["name"] = name,
            ["description"] = description,
            ["attributes"] = attributes,
            ["meta"] = new JsonObject { ["resourceType"] = "Schema", ["location"] = baseUrl + "/Schemas/" + id },
        };
    }

    private static JsonObject Attribute(string name, string type = "string", bool required = false, bool caseExact = false,
        string mutability = "readWrite", string uniqueness = "none", string? description = null)
    {
        var attribute = new JsonObject
        {
            ["name"] = name,
            ["type"] = type,
            ["multiValued"] = false,
            ["required"] = required,
            ["caseExact"] = caseExact,
            ["mutability"] = mutability,
            ["returned"] = "default",
            ["uniqueness"] = uniqueness,
        };
        if (description is not null) attribute["description"] = description;
        return attribute;
    }

    private static JsonObject Complex(string name, JsonObject[] subAttributes, bool multiValued = false, string mutability = "readWrite", string? description = null)
    {
        var attribute = Attribute(name, type: "complex", mutability: mutability, description: description);
        attribute["multiValued"] = multiValued;
        attribute["subAttributes"] = new JsonArray([.. subAttributes]);
        return attribute;
    }
}
