namespace Tacit.Web.Features.Webhooks;

/// <summary>The events an endpoint can subscribe to, and what each means (docs/integrations.md lists their payloads).</summary>
public static class WebhookEventTypes
{
    public const string PersonAdded = "person.added";
    public const string PersonLeft = "person.left";
    public const string CycleStateChanged = "cycle.stateChanged";
    public const string OfferMade = "offer.made";
    public const string OfferAccepted = "offer.accepted";
    public const string OfferDeclined = "offer.declined";
    public const string SessionBooked = "session.booked";
    public const string SessionRescheduled = "session.rescheduled";
    public const string SessionHeld = "session.held";
    public const string SessionCancelled = "session.cancelled";
    public const string FeedbackGiven = "feedback.given";
    public const string SkillValidated = "skill.validated";

    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        [PersonAdded] = "A person was added to the directory",
        [PersonLeft] = "A person left (was deactivated)",
        [CycleStateChanged] = "A cycle moved to another stage",
        [OfferMade] = "A teacher offered times",
        [OfferAccepted] = "A learner accepted an offered time",
        [OfferDeclined] = "A teacher declined an offer",
        [SessionBooked] = "A session was booked",
        [SessionRescheduled] = "A session moved to another time",
        [SessionHeld] = "Someone said a session took place",
        [SessionCancelled] = "A session was cancelled",
        [FeedbackGiven] = "Someone gave feedback on a session",
        [SkillValidated] = "Learners' ratings validated a teacher's skill",
    };

    public static readonly IReadOnlyList<string> All = [.. Descriptions.Keys];
}
