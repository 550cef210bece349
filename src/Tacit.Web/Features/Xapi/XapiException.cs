namespace Tacit.Web.Features.Xapi;

/// <summary>A request the LRS refuses, with the status the xAPI specification asks for and why (sent as plain text).</summary>
public sealed class XapiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    /// <summary>The version to name in the answer when the request's own could not be read.</summary>
    public XapiVersion? Version { get; init; }

    public static XapiException BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);
}
