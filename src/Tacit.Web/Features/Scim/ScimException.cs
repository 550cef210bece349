namespace Tacit.Web.Features.Scim;

/// <summary>A SCIM error (RFC 7644 §3.12): the status, the scimType when the RFC names one, and a message for the client.</summary>
public sealed class ScimException(int status, string? scimType, string message) : Exception(message)
{
    public const string InvalidFilter = "invalidFilter";
    public const string InvalidSyntax = "invalidSyntax";
    public const string InvalidPath = "invalidPath";
    public const string InvalidValue = "invalidValue";
    public const string NoTarget = "noTarget";
    public const string Uniqueness = "uniqueness";
    public const string Mutability = "mutability";
    public const string TooMany = "tooMany";

    public int Status { get; } = status;
    public string? ScimType { get; } = scimType;
}
