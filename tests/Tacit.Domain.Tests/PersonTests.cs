using Tacit.Domain.People;
using static Tacit.Domain.Tests.Builders;

namespace Tacit.Domain.Tests;

public class PersonTests
{
    [Fact]
    public void A_new_person_is_an_active_member_with_sensible_defaults()
    {
        var person = APerson("ADA@Example.com");
        Assert.Equal("ada@example.com", person.Email);
        Assert.True(person.IsActive);
        Assert.Equal(Roles.Member, person.Roles);
        Assert.Equal(5, person.AuthorityLevel);
        Assert.Equal("UTC", person.TimeZone);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public void Authority_level_outside_one_to_ten_is_refused_and_nothing_changes(int level)
    {
        var person = APerson();
        var error = Assert.Throws<DomainException>(() => person.UpdateProfile("Changed", "Title", "Dept", level, null, null, null));
        Assert.Equal(nameof(Person.AuthorityLevel), error.Field);
        Assert.Equal("Ada", person.DisplayName);
        Assert.Equal("", person.Department);
    }

    [Fact]
    public void Unknown_time_zones_are_refused()
    {
        var error = Assert.Throws<DomainException>(() => APerson().UpdateProfile("Ada", null, null, 5, null, "Mars/Olympus", null));
        Assert.Equal(nameof(Person.TimeZone), error.Field);
    }

    [Fact]
    public void Roles_always_include_member_and_a_person_is_never_their_own_manager()
    {
        var person = APerson();
        person.SetRoles(Roles.Admin);
        Assert.True(person.HasRole(Roles.Member));
        Assert.True(person.HasRole(Roles.Admin));
        Assert.False(person.HasRole(Roles.Facilitator));
        Assert.Throws<DomainException>(() => person.AssignManager(person.Id));
    }

    [Fact]
    public void Deactivation_keeps_everything_and_can_be_undone()
    {
        var person = APerson();
        person.UpdateProfile("Ada", "Engineer", "R&D", 6, "London", "Europe/London", "Bio");
        person.Deactivate();
        Assert.False(person.IsActive);
        Assert.Equal(("Engineer", "R&D", "Bio"), (person.JobTitle, person.Department, person.Bio));
        person.Reactivate();
        Assert.True(person.IsActive);
    }

    [Theory]
    [InlineData("UTC", "2026-12-07T07:59:00Z", "2026-12-07T08:00:00+00:00")]
    [InlineData("UTC", "2026-12-07T08:00:00Z", "2026-12-08T08:00:00+00:00")]
    [InlineData("America/New_York", "2026-12-07T12:00:00Z", "2026-12-07T08:00:00-05:00")]
    [InlineData("America/New_York", "2026-12-07T13:30:00Z", "2026-12-08T08:00:00-05:00")]
    [InlineData("Asia/Kolkata", "2026-12-07T02:00:00Z", "2026-12-07T08:00:00+05:30")]
    // The night clocks go forward in London the digest is still at 08:00 local, now one hour earlier in UTC.
    [InlineData("Europe/London", "2027-03-27T09:00:00Z", "2027-03-28T08:00:00+01:00")]
    public void The_daily_digest_goes_at_eight_in_the_persons_own_zone(string zone, string now, string expected)
    {
        var person = APerson();
        person.UpdateProfile("Ada", null, null, 5, null, zone, null);
        var next = person.NextDigestAfter(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
        Assert.Equal(TimeZoneInfo.FindSystemTimeZoneById(zone).GetUtcOffset(next), next.Offset);
    }
}
