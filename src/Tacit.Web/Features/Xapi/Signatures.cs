using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace Tacit.Web.Features.Xapi;

/// <summary>
/// Signed statements (xAPI Data 2.6): the signature attachment is a JWS (compact serialisation) signed with RS256, RS384
/// or RS512 whose payload is the statement as it was before the signature was attached. When the JWS carries its
/// certificate (x5c), the signature is verified with it; without one there is no key to verify with.
/// </summary>
public static class Signatures
{
    public const string UsageType = "http://adlnet.gov/expapi/attachments/signature";

    public static void Check(JsonObject statement, AttachmentContent signature)
    {
        if (!signature.ContentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
            throw XapiException.BadRequest("A signature attachment's content type must be application/octet-stream.");
        var parts = Encoding.ASCII.GetString(signature.Content).Trim().Split('.');
        if (parts.Length != 3) throw XapiException.BadRequest("The signature is not a JWS in compact serialisation.");
        JsonObject header;
        JsonObject payload;
        try
        {
            header = JsonNode.Parse(WebEncoders.Base64UrlDecode(parts[0]))?.AsObject() ?? throw new JsonException();
            payload = JsonNode.Parse(WebEncoders.Base64UrlDecode(parts[1]))?.AsObject() ?? throw new JsonException();
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw XapiException.BadRequest("The signature's header or payload is not valid JSON.");
        }
        var hash = header["alg"]?.GetValueKind() == JsonValueKind.String ? header["alg"]!.GetValue<string>() switch
        {
            "RS256" => HashAlgorithmName.SHA256,
            "RS384" => HashAlgorithmName.SHA384,
            "RS512" => HashAlgorithmName.SHA512,
            _ => default,
        } : default;
        if (hash == default) throw XapiException.BadRequest("A statement signature must use RS256, RS384 or RS512.");
        if (!StatementComparison.Equivalent(statement, payload, ignoreAttachments: true)) throw XapiException.BadRequest("The signature's payload is not this statement.");
        if (header["x5c"] is JsonArray { Count: > 0 } chain) Verify(chain, parts, hash);
    }

    private static void Verify(JsonArray chain, string[] parts, HashAlgorithmName hash)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(chain[0]!.GetValue<string>()));
            using var key = certificate.GetRSAPublicKey() ?? throw new CryptographicException();
            var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            if (key.VerifyData(signed, WebEncoders.Base64UrlDecode(parts[2]), hash, RSASignaturePadding.Pkcs1)) return;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or InvalidOperationException)
        {
            throw XapiException.BadRequest("The signature's certificate cannot be read.");
        }
        throw XapiException.BadRequest("The signature does not verify with its certificate.");
    }
}
