namespace Tacit.Domain;

/// <summary>
/// A rule of the domain refused an action. <see cref="Field"/> names the input at fault, when there is one,
/// so pages can show the message next to it and the API can return it as a validation error.
/// </summary>
public class DomainException(string message, string? field = null) : Exception(message)
{
    public string? Field { get; } = field;
}

/// <summary>The action conflicts with the current state (a duplicate, a state that forbids it).</summary>
public sealed class ConflictException(string message, string? field = null) : DomainException(message, field);
