using Tacit.Matching;

namespace Tacit.Web.Features.Offers;

/// <summary>
/// What people are told about their matches, in one place: publishing a run, re-matching, declining, expiry and leavers
/// all use these words. Learners are never told who declined them or who is fully booked.
/// </summary>
public static class OfferNotices
{
    /// <summary>Where notices about offers and sessions lead.</summary>
    public const string Link = "/offers";

    private const string LookingForAnother = "Tacit is looking for another colleague.";

    public static string AskedToShare(string skill, string learners, string cycle) =>
        $"You have been asked to share {skill} with {learners} in \"{cycle}\". Offer them a time that suits you both.";

    public static string MatchedToLearn(string skill, string teacher, string cycle) =>
        $"You have been matched to learn {skill} from {teacher} in \"{cycle}\". They will offer you a time.";

    /// <summary>To the learners of an offer that was declined, or whose teacher left.</summary>
    public static string CannotGoAhead(string skill) => $"Your match for {skill} cannot go ahead this time. {LookingForAnother}";

    /// <summary>To the learners of an offer nobody acted on in time.</summary>
    public static string Expired(string skill) => $"Your match for {skill} expired before a time was agreed. {LookingForAnother}";

    /// <summary>The reason in words a learner can be shown: honest, without naming anyone who is excluded or full.</summary>
    public static string WhyUnmatched(UnmetReason reason) => reason switch
    {
        UnmetReason.NoSharers =>
            "nobody taking part shares this skill this cycle. It is on the facilitator's list of things to learn from outside; you can also ask for it on the open-sessions board later.",
        UnmetReason.OnlyExcludedSharers =>
            "the only colleagues who share it are in your own reporting line or taught you last cycle, and Tacit does not pair those. Ask for it again next cycle or on the open-sessions board.",
        UnmetReason.LearnerAtSessionLimit =>
            "you asked for a limited number of sessions this cycle and your other wishes came first. Raise the number in the next intake if you would like more.",
        _ => "everyone who shares it is fully booked this cycle. You can ask for it on the open-sessions board later, or again next cycle.",
    };
}
