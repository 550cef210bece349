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
}
