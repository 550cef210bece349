using Tacit.Domain;

namespace Tacit.Domain.Tests;

public class GuardTests
{
    [Theory]
    [InlineData("ada@example.com", true)]
    [InlineData("a.b+c@sub.example.co.uk", true)]
    [InlineData("no-at-sign.example.com", false)]
    [InlineData("two@@example.com", false)]
    [InlineData("@example.com", false)]
    [InlineData("ada@", false)]
    [InlineData("ada@localhost", false)]
    [InlineData("ada @example.com", false)]
    [InlineData("ada@example.com.", false)]
    [InlineData("a,b@example.com", false)]
    public void Recognises_email_addresses(string value, bool valid) => Assert.Equal(valid, Guard.IsEmail(value));

    [Fact]
    public void Required_trims_and_refuses_blank_and_overlong_values()
    {
        Assert.Equal("Ada", Guard.Required("  Ada ", "Name", "Name", 10));
        Assert.Equal("Name", Assert.Throws<DomainException>(() => Guard.Required("   ", "Name", "Name", 10)).Field);
        Assert.Contains("at most 3", Assert.Throws<DomainException>(() => Guard.Required("Adam", "Name", "Name", 3)).Message, StringComparison.Ordinal);
    }
}
