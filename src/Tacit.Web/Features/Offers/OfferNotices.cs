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

    /// <summary>To a learner the published run left without a match for a skill, with the engine's reason.</summary>
    public static string CouldNotMatch(string skill, string cycle, string reason) =>
        $"We could not match you for {skill} in \"{cycle}\": {reason}";

    /// <summary>To the learners of an offer that was declined, or whose teacher left.</summary>
    public static string CannotGoAhead(string skill) => $"Your match for {skill} cannot go ahead this time. {LookingForAnother}";

    /// <summary>To the learners of an offer nobody acted on in time.</summary>
    public static string Expired(string skill) => $"Your match for {skill} expired before a time was agreed. {LookingForAnother}";

    private const string CarriedOver = "If a next cycle is started from this one, this wish is carried over to it.";

    /// <summary>
    /// Why a want was not matched, in words the learner can be shown: what the engine found bound (see
    /// <see cref="UnmetWant"/>), never naming anyone who is ruled out, declined or fully booked.
    /// </summary>
    public static string WhyUnmatched(UnmetWant unmet, Func<string, string> skillName) => unmet.ReasonCode switch
    {
        UnmetReason.NoSharers => $"nobody taking part offers sessions of it this cycle. {CarriedOver}",
        UnmetReason.OnlyExcludedSharers =>
            $"the only people taking part who share it are {And((unmet.ExcludedBy ?? []).Select(RuledOut))}, and Tacit does not pair you with them. {CarriedOver}",
        UnmetReason.LearnerAtSessionLimit when unmet.SessionsWentTo is null or [] =>
            "you asked for no sessions this cycle. Raise the number in the next intake if you would like some.",
        UnmetReason.LearnerAtSessionLimit =>
            SessionsWentTo(unmet.SessionsWentTo, skillName)
            + (!unmet.SharersBooked ? "" : " Everyone who could teach you this was fully booked with other learners.")
            + " Raise the number in the next intake if you would like more.",
        _ => $"everyone who shares it and may teach you was fully booked with other learners. {CarriedOver}",
    };

    /// <summary>"your 2 sessions went to Excel (high priority) and SQL (low priority, chosen by the facilitator)."</summary>
    private static string SessionsWentTo(List<HeldWant> held, Func<string, string> skillName)
    {
        string Want(HeldWant h) => $"{skillName(h.SkillId)} ({h.Priority.ToString().ToLowerInvariant()} priority{h.Placement switch
        {
            Placement.Pinned => ", chosen by the facilitator",
            Placement.Kept => ", already matched",
            _ => "",
        }})";
        return (held.Count == 1 ? "your session went to " : $"your {held.Count} sessions went to ") + And(held.Select(Want)) + ".";
    }

    /// <summary>A hard rule in a learner's words; a new rule reads generically until it has its own.</summary>
    private static string RuledOut(Exclusion exclusion) => exclusion switch
    {
        Exclusion.Self => "you",
        Exclusion.Manager => "your manager",
        Exclusion.DirectReport => "people who report to you",
        Exclusion.AboveInChain => "people above you in your reporting line",
        Exclusion.BelowInChain => "people below you in your reporting line",
        Exclusion.LastCycleTeacher => "the colleague who taught you last cycle",
        Exclusion.Declined => "a colleague who cannot take it on this time",
        Exclusion.ExcludedByFacilitator => "colleagues the facilitator chose not to pair you with",
        Exclusion.AuthorityGap => "colleagues further from your level than this cycle allows",
        Exclusion.NoCommonHour => "colleagues who are free at none of the hours you gave",
        _ => "colleagues a matching rule keeps apart from you",
    };

    private static string And(IEnumerable<string> items)
    {
        var list = items.Distinct().ToList();
        return list.Count <= 1 ? string.Concat(list) : string.Join(", ", list[..^1]) + " and " + list[^1];
    }
}
