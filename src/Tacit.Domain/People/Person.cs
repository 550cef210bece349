namespace Tacit.Domain.People;

/// <summary>Someone in an organisation: a member first, and maybe a facilitator or admin too.</summary>
public sealed class Person : ITenantOwned
{
    public const int NameMaxLength = 120;
    public const int TitleMaxLength = 120;
    public const int DepartmentMaxLength = 80;
    public const int LocationMaxLength = 80;
    public const int TimeZoneMaxLength = 64;
    public const int BioMaxLength = 2000;
    public const int ExternalIdMaxLength = 200;
    public const int MinLevel = 1;
    public const int MaxLevel = 10;
    public const string OwnManagerMessage = "A person cannot be their own manager.";

    /// <summary>What a person without a department is counted under wherever people are grouped by department.</summary>
    public const string NoDepartment = "No department";

    // The labels the guards put in their messages, shared by the checks below so every caller reads the same words.
    private const string NameLabel = "Name";
    private const string TitleLabel = "Job title";
    private const string DepartmentLabel = "Department";
    private const string LevelLabel = "Level of authority";

    private Person() { Email = ""; DisplayName = ""; JobTitle = ""; Department = ""; Location = ""; TimeZone = ""; Bio = ""; }

    public Person(Guid organisationId, string email, string displayName, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7(createdAt);
        OrganisationId = organisationId;
        Email = Guard.Email(email);
        DisplayName = Guard.Required(displayName, nameof(DisplayName), NameLabel, NameMaxLength);
        JobTitle = "";
        Department = "";
        Location = "";
        TimeZone = "UTC";
        Bio = "";
        AuthorityLevel = 5;
        Roles = Roles.Member;
        IsActive = true;
        CreatedAt = createdAt;
        RefreshSearchText();
    }

    /// <summary>
    /// What the constructor and <see cref="UpdateProfile"/> would refuse in these details, in their words, without
    /// throwing: an import checks thousands of rows and reports every problem of each.
    /// </summary>
    public static IEnumerable<string> ProblemsWith(string? email, string? displayName, string? jobTitle, string? department, int? authorityLevel)
    {
        string?[] problems =
        [
            Guard.RequiredProblem(displayName, NameLabel, NameMaxLength),
            Guard.EmailProblem(email),
            Guard.OptionalProblem(department, DepartmentLabel, DepartmentMaxLength),
            Guard.OptionalProblem(jobTitle, TitleLabel, TitleMaxLength),
            authorityLevel is { } level ? Guard.InRangeProblem(level, MinLevel, MaxLevel, LevelLabel) : null,
        ];
        return problems.OfType<string>();
    }

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public string Email { get; private set; }
    public string DisplayName { get; private set; }
    public string JobTitle { get; private set; }
    public string Department { get; private set; }
    /// <summary>Level of authority, 1 (newest) to 10 (most senior): matching pairs peers of similar level.</summary>
    public int AuthorityLevel { get; private set; }
    public Guid? ManagerId { get; private set; }
    public string Location { get; private set; }
    /// <summary>IANA time zone id, such as Europe/London.</summary>
    public string TimeZone { get; private set; }
    public string Bio { get; private set; }
    public Roles Roles { get; private set; }
    /// <summary>The identity provider's own id for the person, as its SCIM client gave it (docs/scim.md); empty if none.</summary>
    public string ExternalId { get; private set; } = "";
    public bool IsActive { get; private set; }
    /// <summary>
    /// Who besides the person sees their recognition counts (sessions learned and taught, hours, validated skills, public
    /// thanks) on their profile and in the API, and whether admins see their teaching credit (docs/insight.md). Private
    /// until the person chooses otherwise: recognition is theirs to share (docs/security.md).
    /// </summary>
    public RecognitionVisibility RecognitionVisibility { get; private set; }
    /// <summary>
    /// The person's last day here, when an admin knows it ahead (null otherwise). HR's knowledge: only admins see it, and
    /// insight uses it only as skills at risk, never saying who is leaving (docs/insight.md, "Knowledge continuity").
    /// Deactivating the person on the day stays the admin's (or the identity provider's) act.
    /// </summary>
    public DateOnly? LeavingOn { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>When an admin erased the person (GDPR article 17); null for everyone else. An erased person stays only as a count.</summary>
    public DateTimeOffset? ErasedAt { get; private set; }
    public bool IsErased => ErasedAt is not null;

    /// <summary>Name, title and email in lower case, kept for the directory's search (one column, one index).</summary>
    public string SearchText { get; private set; } = "";

    /// <summary>
    /// How the person wants notifications that can wait: false (the default) gathers them into one mail a day, true mails
    /// each as it happens. Time-critical ones (<see cref="Notifications.Notification.Urgent"/>) are always mailed at once.
    /// </summary>
    public bool MailImmediately { get; private set; }

    /// <summary>When the next daily digest may go (08:00 in the person's time zone); null until their first mail.</summary>
    public DateTimeOffset? NextDigestAt { get; private set; }

    /// <summary>The hour of the person's day at which their daily digest is mailed.</summary>
    public const int DigestHour = 8;

    public void ChooseMail(bool immediately) => MailImmediately = immediately;

    /// <summary>The first <see cref="DigestHour"/> o'clock in the person's time zone after <paramref name="now"/>.</summary>
    public DateTimeOffset NextDigestAfter(DateTimeOffset now)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var found) ? found : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var day = local.Date.AddHours(DigestHour);
        if (day <= local.DateTime) day = day.AddDays(1);
        // A digest hour skipped by a clock change falls to the next valid moment.
        while (zone.IsInvalidTime(day)) day = day.AddMinutes(30);
        return new DateTimeOffset(day, zone.GetUtcOffset(day));
    }

    public const int SearchTextMaxLength = NameMaxLength + TitleMaxLength + 256;

    public bool HasRole(Roles role) => (Roles & role) == role;

    /// <summary>The department a person is grouped under: their own, or <see cref="NoDepartment"/>.</summary>
    public static string DepartmentOrNone(string department) => department.Length == 0 ? NoDepartment : department;

    public void UpdateProfile(string displayName, string? jobTitle, string? department, int authorityLevel,
        string? location, string? timeZone, string? bio)
    {
        EnsureNotErased();
        var zone = Guard.Optional(timeZone, nameof(TimeZone), "Time zone", TimeZoneMaxLength);
        if (zone.Length == 0) zone = "UTC";
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
            throw new DomainException($"'{zone}' is not a known time zone (use a name such as Europe/London).", nameof(TimeZone));
        var name = Guard.Required(displayName, nameof(DisplayName), NameLabel, NameMaxLength);
        var title = Guard.Optional(jobTitle, nameof(JobTitle), TitleLabel, TitleMaxLength);
        var dept = Guard.Optional(department, nameof(Department), DepartmentLabel, DepartmentMaxLength);
        var level = Guard.InRange(authorityLevel, MinLevel, MaxLevel, nameof(AuthorityLevel), LevelLabel);
        var place = Guard.Optional(location, nameof(Location), "Location", LocationMaxLength);
        var about = Guard.Optional(bio, nameof(Bio), "Bio", BioMaxLength);
        (DisplayName, JobTitle, Department, AuthorityLevel, Location, TimeZone, Bio) = (name, title, dept, level, place, zone, about);
        RefreshSearchText();
    }

    public void ChangeEmail(string email)
    {
        EnsureNotErased();
        Email = Guard.Email(email);
        RefreshSearchText();
    }

    private void RefreshSearchText() => SearchText = $"{DisplayName} {JobTitle} {Email}".ToLowerInvariant();

    /// <summary>Sets the manager; the caller checks the whole chain for cycles, this only refuses the obvious one.</summary>
    public void AssignManager(Guid? managerId)
    {
        if (managerId == Id) throw new DomainException(OwnManagerMessage, nameof(ManagerId));
        ManagerId = managerId;
    }

    /// <summary>Whether <paramref name="viewerId"/> may see this person's recognition counts, as the person allows.</summary>
    public bool ShowsRecognitionTo(Guid? viewerId) => viewerId == Id || RecognitionVisibility switch
    {
        RecognitionVisibility.Organisation => true,
        RecognitionVisibility.Manager => viewerId is not null && viewerId == ManagerId,
        _ => false,
    };

    public void SetExternalId(string? externalId)
    {
        EnsureNotErased();
        ExternalId = Guard.Optional(externalId, nameof(ExternalId), "External id", ExternalIdMaxLength);
    }

    public void SetRoles(Roles roles)
    {
        EnsureNotErased();
        Roles = roles | Roles.Member;
    }

    public void Deactivate() => IsActive = false;

    public void SetRecognitionVisibility(RecognitionVisibility visibility)
    {
        EnsureNotErased();
        if (!Enum.IsDefined(visibility)) throw new DomainException("Choose who sees your recognition: only you (private), your manager or the organisation.", nameof(RecognitionVisibility));
        RecognitionVisibility = visibility;
    }

    public void SetLeavingOn(DateOnly? lastDay)
    {
        EnsureNotErased();
        LeavingOn = lastDay;
    }

    public void Reactivate()
    {
        EnsureNotErased();
        IsActive = true;
    }

    /// <summary>
    /// Removes everything that says who the person was; the row stays, so sessions they were in and answers they gave
    /// are still counted, under <see cref="Erasure.ErasedName"/>. It cannot be undone.
    /// </summary>
    public void Erase(DateTimeOffset now)
    {
        EnsureNotErased();
        Email = Erasure.ErasedEmail(Id);
        DisplayName = Erasure.ErasedName;
        (JobTitle, Department, Location, Bio, TimeZone, ExternalId) = ("", "", "", "", "UTC", "");
        AuthorityLevel = 5;
        ManagerId = null;
        Roles = Roles.Member;
        RecognitionVisibility = RecognitionVisibility.Private;
        LeavingOn = null;
        IsActive = false;
        ErasedAt = now;
        RefreshSearchText();
    }

    private void EnsureNotErased()
    {
        if (IsErased) throw new ConflictException("This person was erased; nothing of theirs can change.");
    }
}

/// <summary>
/// Who may see a person's recognition counts beyond the person themselves. The stored numbers are fixed (0 and 1 came
/// first; manager was added after), so the declaration is in widening order with explicit values.
/// </summary>
public enum RecognitionVisibility
{
    /// <summary>Only the person (the default).</summary>
    Private = 0,
    /// <summary>The person and their manager, on the profile; not the admins' teaching credit.</summary>
    Manager = 2,
    /// <summary>Everyone in the organisation, and the admins' teaching credit for rewards.</summary>
    Organisation = 1,
}
