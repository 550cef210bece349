using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Tacit.Domain;

/// <summary>
/// Version 7 ids (RFC 9562) for many rows made at one moment, each greater than the one before: the 74 bits after the
/// millisecond timestamp start at a random value and count up by one ("monotonic random", RFC 9562 section 6.2, method 2).
/// <see cref="Guid.CreateVersion7(DateTimeOffset)"/> makes those bits random, so ids of one millisecond come in no order:
/// a match run's 200,000 proposals then had to be sorted before they were stored, or PostgreSQL inserted them all over
/// its primary key's index. Made in order, they are stored as they are made. Not thread-safe.
/// </summary>
public sealed class IncreasingIds
{
    private readonly ulong timestamp; // Unix milliseconds, 48 bits
    private UInt128 counter;          // 74 bits: the 12 of rand_a, then the 62 of rand_b

    public IncreasingIds(DateTimeOffset at)
    {
        timestamp = (ulong)at.ToUnixTimeMilliseconds() & 0xFFFF_FFFF_FFFF;
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        // The counter's top bit starts at 0, so that 2^73 ids can follow before it could run into the version bits.
        counter = BinaryPrimitives.ReadUInt128BigEndian(random) & ((UInt128.One << 73) - 1);
    }

    public Guid Next()
    {
        Span<byte> bytes = stackalloc byte[16];
        ulong randA = (ulong)(counter >> 62), randB = (ulong)counter & ((1UL << 62) - 1);
        BinaryPrimitives.WriteUInt64BigEndian(bytes, timestamp << 16 | 0x7000 | randA); // 48-bit time, version 7, rand_a
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], 0x8000_0000_0000_0000 | randB); // variant 10, rand_b
        counter++;
        return new Guid(bytes, bigEndian: true);
    }
}
