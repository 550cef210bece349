using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Tacit.Web.Data;
using Tacit.Web.Features.Cycles;
using Tacit.Web.Features.Demo;
using Tacit.Web.Features.Notifications;
using Tacit.Web.Features.Organisations;
using Tacit.Web.Features.Reminders;
using Tacit.Web.Features.People;
using Tacit.Web.Features.Skills;
using Tacit.Web.Features.Settings;
using Tacit.Web.Tenancy;

namespace Tacit.Web.Infrastructure;

/// <summary>What both the web host and the <c>tacit</c> command need: the database, identity and the use cases.</summary>
public static class TacitServices
{
    public static IServiceCollection AddTacitCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<TenantContext>();
        services.AddScoped<CurrentUser>();
        services.AddDataProtection().SetApplicationName("Tacit").PersistKeysToDbContext<TacitDbContext>();
        services.AddMemoryCache();
        services.AddSingleton<Features.People.DirectoryIndex>();
        services.AddSingleton<Features.People.DirectorySaves>();
        services.AddTacitDatabase(configuration);
        services.AddScoped<RequestTransaction>();
        services.AddTacitReminders(configuration);
        services.AddOptions<Features.Retention.RetentionOptions>().Bind(configuration.GetSection("Retention")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Features.Offers.OfferOptions>().Bind(configuration.GetSection("Offers")).ValidateDataAnnotations().ValidateOnStart();
        services.Configure<SmtpOptions>(configuration.GetSection("Smtp"));
        services.AddSingleton<Mailer>();
        services.AddSingleton<LinkBuilder>();
        services.AddOptions<LinkOptions>().Bind(configuration.GetSection("App"))
            .PostConfigure(o => { if (string.IsNullOrWhiteSpace(o.BaseUrl)) o.BaseUrl = LinkOptions.ListeningAddress(configuration); });

        services.AddIdentityCore<TacitUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireDigit = false;
                // Failed sign-ins slow down instead (Features/Account/SignInThrottle): a lock-out would let anyone who
                // knows an email keep its owner out.
                o.Lockout.AllowedForNewUsers = false;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<TacitDbContext>()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<TacitClaimsFactory>();

        services.AddScoped<CreateOrganisationHandler>();
        services.AddScoped<StarterCatalogue>();
        services.AddScoped<DemoOrganisationLoader>();
        services.AddScoped<DemoAvailability>();
        services.AddScoped<DemoPeople>();
        services.Configure<DemoOptions>(configuration.GetSection("Demo"));
        services.AddScoped<PeopleQueries>();
        services.AddScoped<PeopleImporter>();
        services.AddScoped<InvitePersonHandler>();
        services.AddScoped<Invitations>();
        services.AddScoped<ApiTokenService>();
        services.AddScoped<Features.Scim.ScimUsers>();
        services.AddScoped<Features.Knowledge.KnowledgeContinuity>();
        services.AddSingleton<Features.Insight.InsightFigures>();
        services.AddScoped<Features.Insight.TrainingNeeds>();
        services.AddScoped<Features.Insight.SuccessionRisk>();
        services.AddScoped<Features.Insight.TeachingCredit>();
        services.AddScoped<Features.Insight.LearningNetwork>();
        services.AddScoped<Features.Insight.RecognitionConsent>();
        services.AddScoped<Features.Scim.ScimGroups>();
        services.AddScoped<Features.Xapi.LrsCredentials>();
        services.AddScoped<Features.CalendarFeeds.CalendarFeeds>();
        services.AddScoped<Features.Notifications.Chat.ChatDeliveries>();
        services.AddScoped<Features.Webhooks.Webhooks>();
        services.AddSingleton<Features.Webhooks.WebhookEvents>();
        services.AddOptions<Features.Webhooks.WebhookOptions>().Bind(configuration.GetSection("Webhooks")).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<Features.Xapi.StatementStore>();
        services.AddScoped<Features.Xapi.DocumentStore>();
        services.AddScoped<Features.Xapi.ForwardingSettings>();
        services.AddScoped<Features.Evidence.EvidenceRecorder>();
        services.AddScoped<Features.Evidence.LearningRecord>();
        services.AddScoped<Features.Evidence.TrainingSubmissions>();
        services.AddScoped<Features.Evidence.EvidencePacks>();
        services.AddScoped<Features.Credentials.IssuerKeys>();
        services.AddScoped<Features.Credentials.SkillCredentials>();
        services.AddScoped<OrganisationSettings>();
        services.AddScoped<Features.Account.InvitationAcceptance>();
        services.AddScoped<Features.Account.PasswordSignIn>();
        services.AddScoped<Features.CompanySignIn.CompanySignInSettings>();
        services.AddScoped<Features.CompanySignIn.CompanySignInLookup>();
        services.AddScoped<Features.CompanySignIn.JustInTimeSignIn>();
        services.AddScoped<Features.Account.PasswordReset>();
        services.AddScoped<Features.Account.OrganisationSignUp>();
        services.AddScoped<Features.Account.SignInAddressChange>();
        services.AddScoped<Features.Account.TrustedBrowsers>();
        services.AddSingleton<Features.Account.SignInThrottle>();
        services.AddSingleton<Features.Account.AccountMailer>();
        services.AddScoped<Features.Home.HomeQueries>();
        services.AddScoped<SkillQueries>();
        services.AddScoped<Catalogue>();
        services.AddScoped<SkillSuggestions>();
        services.AddScoped<SharesAndWants>();
        services.AddScoped<PersonSkillQueries>();
        services.AddScoped<PeopleAdministration>();
        services.AddScoped<PersonErasure>();
        services.AddScoped<PersonalDataExport>();
        services.AddScoped<Features.Audit.AuditLog>();
        services.AddScoped<Notifier>();
        services.AddScoped<Inbox>();
        services.AddScoped<MailPreferences>();
        services.AddScoped<Features.Offers.MyOffersQuery>();
        services.AddScoped<Features.Offers.MakeOffer>();
        services.AddScoped<Features.Offers.AskForOtherTimes>();
        services.AddScoped<Features.Offers.DeclineOffer>();
        services.AddScoped<Features.Offers.AcceptOffer>();
        services.AddScoped<Features.Offers.ChangeSession>();
        services.AddScoped<Features.Offers.SessionInvitations>();
        services.AddScoped<Features.Offers.LearnerQuestions>();
        services.AddScoped<Features.Offers.GiveFeedback>();
        services.AddScoped<Features.Offers.FollowUps>();
        services.AddScoped<Features.Offers.Commitments>();
        services.AddScoped<Features.Offers.Rematcher>();
        services.AddScoped<Features.Offers.LeaverOffers>();
        services.AddScoped<CycleLifecycle>();
        services.AddScoped<CycleOverview>();
        services.AddScoped<ParticipantOverview>();
        services.AddScoped<Enrolment>();
        services.AddScoped<Intake>();
        services.AddScoped<Features.Knowledge.KnowledgeMap>();
        services.AddScoped<MatchRuns>();
        services.AddScoped<MatchPreview>();
        services.AddScoped<MatchRunView>();
        services.AddScoped<CycleReview>();
        services.AddScoped<ReviewActions>();
        services.AddScoped<ReviewAttendances>();
        services.AddScoped<FacilitatorDigest>();
        services.AddScoped<MatchJob>();
        services.AddScoped<MatchInputReader>();
        services.AddSingleton<MatchRunSignal>();
        return services;
    }
}
