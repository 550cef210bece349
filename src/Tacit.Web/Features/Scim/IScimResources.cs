using System.Text.Json.Nodes;

namespace Tacit.Web.Features.Scim;

/// <summary>What /Users/{id} and /Groups/{id} do with one resource.</summary>
public interface IScimResources
{
    Task<JsonObject> GetAsync(Guid id, string baseUrl, CancellationToken ct);
    Task<JsonObject> ReplaceAsync(Guid id, JsonObject body, HttpRequest request, string baseUrl, CancellationToken ct);
    Task<JsonObject> PatchAsync(Guid id, JsonObject body, HttpRequest request, string baseUrl, CancellationToken ct);
    Task DeleteAsync(Guid id, HttpRequest request, string baseUrl, CancellationToken ct);
}
