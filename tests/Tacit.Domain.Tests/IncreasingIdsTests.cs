using Tacit.Domain;
using Tacit.Domain.Cycles;
using static Tacit.Domain.Tests.Builders;

namespace Tacit.Domain.Tests;

public class IncreasingIdsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 15, 30, 0, 123, TimeSpan.Zero);

    [Fact]
    public void Each_id_is_greater_than_the_one_before_in_dotnet_and_in_PostgreSQL_order()
    {
        var ids = new IncreasingIds(At);
        var made = Enumerable.Range(0, 100_000).Select(_ => ids.Next()).ToList();
        for (int i = 1; i < made.Count; i++)
        {
            Assert.True(made[i].CompareTo(made[i - 1]) > 0, $"id {i} is not greater than the one before");
            // PostgreSQL compares uuids byte by byte in RFC 9562 order, the order Npgsql sends them in.
            Assert.True(made[i].ToByteArray(bigEndian: true).AsSpan().SequenceCompareTo(made[i - 1].ToByteArray(bigEndian: true)) > 0);
        }
    }

    [Fact]
    public void Ids_are_version_7_with_the_time_they_were_made_for()
    {
        var ids = new IncreasingIds(At);
        foreach (var id in Enumerable.Range(0, 1000).Select(_ => ids.Next()))
        {
            Assert.Equal(7, id.Version);
            Assert.Equal(0b10, id.Variant >> 2); // RFC 9562's variant: the top two bits 10
            var bytes = id.ToByteArray(bigEndian: true);
            long ms = 0;
            for (int i = 0; i < 6; i++) ms = ms << 8 | bytes[i];
            Assert.Equal(At.ToUnixTimeMilliseconds(), ms);
        }
    }

    [Fact]
    public void Two_sequences_for_the_same_moment_start_apart()
    {
        var first = new IncreasingIds(At);
        var second = new IncreasingIds(At);
        var a = Enumerable.Range(0, 10_000).Select(_ => first.Next()).ToHashSet();
        var b = Enumerable.Range(0, 10_000).Select(_ => second.Next());
        Assert.DoesNotContain(b, a.Contains);
    }

    [Fact]
    public void A_match_runs_rows_get_increasing_ids_across_its_proposals_unmet_wants_and_skipped_pins()
    {
        var run = ARun();
        var proposal = new Proposal(run, Guid.NewGuid(), Guid.NewGuid(), SessionKind.OneToOne, [Guid.NewGuid()], "", pinned: false);
        var unmet = new UnmetWant(run, Guid.NewGuid(), Guid.NewGuid(), "noSharers", "Nobody shares it.");
        var next = new Proposal(run, Guid.NewGuid(), Guid.NewGuid(), SessionKind.OneToOne, [Guid.NewGuid()], "", pinned: false);
        Assert.True(unmet.Id.CompareTo(proposal.Id) > 0);
        Assert.True(next.Id.CompareTo(unmet.Id) > 0);
        Assert.Equal(run.RequestedAt.ToUnixTimeMilliseconds(), next.Id.ToByteArray(bigEndian: true).Take(6).Aggregate(0L, (ms, b) => ms << 8 | b));
    }
}
