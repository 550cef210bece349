using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tacit.Web.Api;

namespace Tacit.Testing;

/// <summary>
/// Reads the API's answers into its own DTO records with the API's JSON rules (web defaults; enums as camelCase
/// strings), so a test names what it expects by type, not by property name.
/// </summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { Converters = { ApiEnums.Converter() } };

    /// <summary>GETs a path that must answer 200, and reads the answer.</summary>
    public static Task<T> GetJsonAsync<T>(this HttpClient client, string path) => client.GetAsync(path).ReadAsync<T>(HttpStatusCode.OK);

    /// <summary>Reads an answer that must have the expected status.</summary>
    public static async Task<T> ReadAsync<T>(this Task<HttpResponseMessage> sending, HttpStatusCode expected) =>
        await (await sending).ReadAsync<T>(expected);

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, HttpStatusCode expected)
    {
        await response.ExpectAsync(expected);
        return await response.Content.ReadFromJsonAsync<T>(Options)
            ?? throw new HttpRequestException($"{response.RequestMessage?.RequestUri} answered {expected} with no body.", null, response.StatusCode);
    }

    /// <summary>Checks that a rule refused the request: 422, naming the field at fault in the problem details' <c>errors</c>.</summary>
    public static async Task ExpectRefusedAsync(this Task<HttpResponseMessage> sending, string field)
    {
        var problem = await sending.ReadAsync<JsonElement>(HttpStatusCode.UnprocessableEntity);
        if (!problem.TryGetProperty("errors", out var errors) || !errors.TryGetProperty(field, out _))
            throw new HttpRequestException($"The refusal does not name {field}: {problem}");
    }

    /// <summary>Checks an answer's status, whatever its body; another status fails with the body, which says why.</summary>
    public static async Task ExpectAsync(this Task<HttpResponseMessage> sending, HttpStatusCode expected) => await (await sending).ExpectAsync(expected);

    public static async Task ExpectAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode == expected) return;
        var body = await response.Content.ReadAsStringAsync();
        throw new HttpRequestException(
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode} {response.StatusCode}, not {(int)expected} {expected}: {body}",
            null, response.StatusCode);
    }
}
