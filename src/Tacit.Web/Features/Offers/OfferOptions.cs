using System.ComponentModel.DataAnnotations;

namespace Tacit.Web.Features.Offers;

/// <summary>How long people have to act on an offer before it expires and the learner goes back to the engine (<c>Offers:AnswerWithinDays</c>).</summary>
public sealed class OfferOptions
{
    [Range(1, 60, ErrorMessage = "Offers:AnswerWithinDays must be between 1 and 60.")]
    public int AnswerWithinDays { get; set; } = 7;

    public TimeSpan AnswerWithin => TimeSpan.FromDays(AnswerWithinDays);
}
