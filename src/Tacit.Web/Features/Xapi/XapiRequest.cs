using System.Text;
using Microsoft.Extensions.Primitives;

namespace Tacit.Web.Features.Xapi;

/// <summary>
/// One xAPI request as the resources see it: method, parameters, headers and body, whether it came as itself or in
/// the alternate request syntax of xAPI 1.0.3 (a form POST with ?method=, carrying headers and content as fields).
/// </summary>
public sealed class XapiRequest
{
    private static readonly HashSet<string> FormHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "X-Experience-API-Version", "Content-Type", "Content-Length", "If-Match", "If-None-Match",
    };

    public required string Method { get; init; }
    public required Dictionary<string, string> Parameters { get; init; }
    public required Dictionary<string, string> Headers { get; init; }
    public required byte[] Body { get; init; }
    public bool Alternate { get; init; }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string ContentType => Header("Content-Type") ?? "";

    public string? Parameter(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    public static async Task<XapiRequest> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in request.Headers) headers[name] = value.ToString();
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Query)
        {
            if (value.Count > 1) throw XapiException.BadRequest($"The parameter {name} is given more than once.");
            parameters[name] = value.ToString();
        }
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var body = buffer.ToArray();

        if (!HttpMethods.IsPost(request.Method) || !parameters.TryGetValue("method", out var method))
            return new XapiRequest { Method = request.Method.ToUpperInvariant(), Parameters = parameters, Headers = headers, Body = body };

        // Alternate request syntax: everything but the method travels in the form.
        if (parameters.Count > 1) throw XapiException.BadRequest("With the alternate request syntax, method is the only query parameter.");
        if (!request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) ?? true)
            throw XapiException.BadRequest("The alternate request syntax posts a form (application/x-www-form-urlencoded).");
        method = method.ToUpperInvariant();
        if (method is not ("GET" or "PUT" or "POST" or "DELETE")) throw XapiException.BadRequest($"'{method}' is not a method of the alternate request syntax.");
        parameters.Clear();
        headers.Remove("Content-Type");
        var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
        var content = StringValues.Empty;
        foreach (var (name, value) in form)
        {
            if (name == "content") content = value;
            else if (FormHeaders.Contains(name)) headers[name] = value.ToString();
            else parameters[name] = value.ToString();
        }
        return new XapiRequest
        {
            Method = method,
            Parameters = parameters,
            Headers = headers,
            Body = Encoding.UTF8.GetBytes(content.ToString()),
            Alternate = true,
        };
    }
}
