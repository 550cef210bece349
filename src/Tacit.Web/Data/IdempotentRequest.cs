using Tacit.Domain;

namespace Tacit.Web.Data;

/// <summary>
/// An API write sent with an <c>Idempotency-Key</c> (<see cref="Api.IdempotencyMiddleware"/>): whose key it is, what
/// was sent, and, once the write took effect, the answer it got, so that a retry is given that answer again. Written in
/// the same transaction as the write itself, so a write is committed exactly when its answer is. Kept for a day.
/// </summary>
public sealed class IdempotentRequest : ITenantOwned
{
    public const int KeyMaxLength = 255;

    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }

    /// <summary>The person or API token that sent it: a key is its sender's alone.</summary>
    public Guid CallerId { get; set; }

    public string Key { get; set; } = "";

    /// <summary>SHA-256 of method, path, query and body: the same key with another request is refused.</summary>
    public byte[] Fingerprint { get; set; } = [];

    /// <summary>
    /// Which attempt holds the key. A retry that takes over an attempt that stalled (its instance died) changes it; the
    /// stalled attempt, should it still be running, then cannot store its answer and so commits nothing.
    /// </summary>
    public Guid Attempt { get; set; }

    public DateTimeOffset AttemptedAt { get; set; }

    /// <summary>After this, the key is forgotten: the sweep removes the row and the key may be used again.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The answer's status; null while the request is in flight.</summary>
    public int? Status { get; set; }

    public string? ContentType { get; set; }

    public string? Location { get; set; }

    public byte[]? Body { get; set; }
}
