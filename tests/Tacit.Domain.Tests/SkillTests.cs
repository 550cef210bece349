using Tacit.Domain.Integrations;
using Tacit.Domain.People;
using Tacit.Domain.Skills;

namespace Tacit.Domain.Tests;

public class SkillTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Aliases_drop_blanks_duplicates_and_the_skill_name_and_are_searchable()
    {
        var skill = new Skill(Guid.NewGuid(), "Spreadsheets", "Data", null, Now);
        skill.SetAliases(["Excel", "excel", " ", "Spreadsheets", "Google Sheets"]);
        Assert.Equal(["Excel", "Google Sheets"], skill.Aliases.Select(a => a.Name).Order());
        Assert.True(skill.IsKnownAs("EXCEL"));
        Assert.False(skill.IsKnownAs("Word"));
        skill.SetAliases(["Google Sheets"]);
        Assert.Equal("Google Sheets", Assert.Single(skill.Aliases).Name);
    }

    [Theory]
    [InlineData(0, 1, false, 1, "Level")]
    [InlineData(6, 1, false, 1, "Level")]
    [InlineData(3, 0, false, 1, "SessionsPerCycle")]
    [InlineData(3, 21, false, 1, "SessionsPerCycle")]
    [InlineData(3, 2, true, 1, "MaxGroupSize")]
    [InlineData(3, 2, true, 31, "MaxGroupSize")]
    public void Share_refuses_values_out_of_range(int level, int sessions, bool groups, int groupSize, string field)
    {
        var error = Assert.Throws<DomainException>(() => new Share(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), level, sessions, groups, groupSize, Now));
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void A_one_to_one_share_has_a_group_size_of_one()
    {
        var share = new Share(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 3, 2, false, 12, Now);
        Assert.Equal(1, share.MaxGroupSize);
    }

    [Fact]
    public void A_want_cannot_name_its_learner_as_teacher_or_an_unknown_priority()
    {
        var learner = Guid.NewGuid();
        Assert.Throws<DomainException>(() => new Want(Guid.NewGuid(), learner, Guid.NewGuid(), Priority.High, null, learner, Now));
        Assert.Throws<DomainException>(() => new Want(Guid.NewGuid(), learner, Guid.NewGuid(), (Priority)7, null, null, Now));
    }

    [Fact]
    public void Api_tokens_store_only_a_hash_of_their_secret()
    {
        var (token, secret) = ApiToken.Create(Guid.NewGuid(), "HR system", Roles.Admin, Now);
        Assert.StartsWith(ApiToken.SecretPrefix, secret, StringComparison.Ordinal);
        Assert.Equal(ApiToken.HashOf(secret), token.Hash);
        Assert.DoesNotContain(secret, token.Hash, StringComparison.Ordinal);
        Assert.Equal(secret[^4..], token.Hint);
        token.Revoke(Now);
        Assert.False(token.IsActive);
        Assert.Throws<DomainException>(() => ApiToken.Create(Guid.NewGuid(), "x", (Roles)3, Now));
    }

    [Theory]
    [InlineData("acme", true)]
    [InlineData("acme-ltd-2", true)]
    [InlineData("Acme", true)]
    [InlineData("-acme", false)]
    [InlineData("acme--ltd", false)]
    [InlineData("acme ltd", false)]
    [InlineData("", false)]
    public void Organisation_slugs_are_lower_case_words_joined_by_hyphens(string slug, bool valid)
    {
        if (valid) Assert.Equal(slug.ToLowerInvariant(), Organisations.Organisation.ValidSlug(slug));
        else Assert.Throws<DomainException>(() => Organisations.Organisation.ValidSlug(slug));
    }
}
