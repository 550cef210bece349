namespace Tacit.Domain;

// Every failure a use case reports on purpose is one of these four. The one handler
// (Tacit.Web/Infrastructure/ProblemDetailsExceptionHandler) gives each its status: 422, 409, 404, 403.

/// <summary>
/// A rule of the domain refused an action (422). <see cref="Field"/> names the input at fault, when there is one,
/// so pages can show the message next to it and the API can return it as a validation error.
/// </summary>
public class DomainException(string message, string? field = null) : Exception(message)
{
    public string? Field { get; } = field;
}

/// <summary>The action conflicts with the current state: a duplicate, or a state that forbids it (409).</summary>
public sealed class ConflictException(string message, string? field = null) : DomainException(message, field);

/// <summary>
/// Something that does not exist in the caller's organisation, or at all: the two look the same (404). Not a
/// <see cref="DomainException"/>, so a page that shows rule messages next to its fields lets it through to the 404 page.
/// </summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>
/// Someone acted on what is not theirs to act on: another person's skills, offer or session; a "my" endpoint called
/// with a token that acts for no person; the demo on a server that does not offer it (403). Like
/// <see cref="NotFoundException"/>, it goes to the error page rather than next to a field.
/// </summary>
public sealed class ForbiddenException(string message) : Exception(message);
