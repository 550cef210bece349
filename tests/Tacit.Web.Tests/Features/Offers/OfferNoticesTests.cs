using Tacit.Matching;
using Tacit.Web.Features.Offers;

namespace Tacit.Web.Tests.Features.Offers;

/// <summary>The words a learner reads about an unmet want say what the engine found, and point nowhere that does not exist.</summary>
public sealed class OfferNoticesTests
{
    private static readonly Dictionary<string, string> Skills = new() { ["excel"] = "Excel", ["sql"] = "SQL", ["wanted"] = "Negotiation" };

    private static string Why(UnmetReason code, List<HeldWant>? wentTo = null, List<Exclusion>? excludedBy = null, bool booked = false) =>
        OfferNotices.WhyUnmatched(new UnmetWant
        {
            LearnerId = "me", SkillId = "wanted", Priority = Priority.High, ReasonCode = code, Reason = "engine words",
            SessionsWentTo = wentTo, ExcludedBy = excludedBy, SharersBooked = booked,
        }, id => Skills[id]);

    [Fact]
    public void The_session_limit_says_where_the_sessions_went_and_whether_the_teachers_were_booked()
    {
        Assert.Equal("your 2 sessions went to Excel (high priority) and SQL (low priority). Everyone who could teach you this was fully booked with other learners. Raise the number in the next intake if you would like more.",
            Why(UnmetReason.LearnerAtSessionLimit, [new("excel", Priority.High, Placement.Matched), new("sql", Priority.Low, Placement.Matched)], booked: true));
        Assert.Equal("your session went to SQL (low priority, chosen by the facilitator). Raise the number in the next intake if you would like more.",
            Why(UnmetReason.LearnerAtSessionLimit, [new("sql", Priority.Low, Placement.Pinned)]));
        Assert.Equal("you asked for no sessions this cycle. Raise the number in the next intake if you would like some.",
            Why(UnmetReason.LearnerAtSessionLimit, []));
    }

    [Fact]
    public void Ruled_out_sharers_are_named_by_rule_never_by_person()
    {
        Assert.StartsWith("the only people taking part who share it are your manager, a colleague who cannot take it on this time and colleagues the facilitator chose not to pair you with, and Tacit does not pair you with them.",
            Why(UnmetReason.OnlyExcludedSharers, excludedBy: [Exclusion.Manager, Exclusion.Declined, Exclusion.ExcludedByFacilitator]), StringComparison.Ordinal);
    }

    [Fact]
    public void No_reason_mentions_a_board_or_other_wishes_coming_first()
    {
        string[] texts =
        [
            Why(UnmetReason.NoSharers), Why(UnmetReason.SharersAtCapacity, booked: true),
            Why(UnmetReason.OnlyExcludedSharers, excludedBy: [.. Enum.GetValues<Exclusion>()]),
            Why(UnmetReason.LearnerAtSessionLimit, [new("excel", Priority.Medium, Placement.Kept)]),
        ];
        Assert.All(texts, text =>
        {
            Assert.DoesNotContain("board", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("came first", text, StringComparison.Ordinal);
        });
        Assert.Equal("everyone who shares it and may teach you was fully booked with other learners. If a next cycle is started from this one, this wish is carried over to it.", texts[1]);
    }
}
