using System.Buffers;
using System.Buffers.Binary;
using System.Collections;
using System.Text;

namespace Tacit.Web.Data;

/// <summary>
/// Rows in PostgreSQL's binary COPY format (https://www.postgresql.org/docs/current/sql-copy.html, "Binary Format"),
/// encoded here and sent through Npgsql's raw COPY stream a buffer at a time.
/// </summary>
/// <remarks>
/// Why not <c>NpgsqlBinaryImporter</c>: it writes value by value, each through a parameter, a type binding and (async) a
/// cancellation registration. At 10,000 people its 30,000 rows cost the match job about 1 s of processor time, more
/// than PostgreSQL took to store them (docs/benchmarks.md). The bytes written here are those Npgsql writes for the same
/// values: a test stores the same rows through EF and through this and compares every column.
/// Only the store types Tacit's bulk-inserted tables use are known; any other is refused before anything is sent.
/// </remarks>
internal sealed class PostgresBinaryCopy
{
    /// <summary>The signature "PGCOPY\n\377\r\n\0", then 32-bit flags (none) and header extension length (none).</summary>
    private static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];
    /// <summary>Strict, as Npgsql's: text that is not valid UTF-16 is an error, never silently replaced.</summary>
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private const int FlushAt = 64 * 1024;
    /// <summary>PostgreSQL's timestamps count microseconds from 2000-01-01 UTC.</summary>
    private static readonly long PostgresEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private enum Kind { Uuid, Text, Boolean, Smallint, Integer, Bigint, TimestampTz }

    /// <summary>How one column's values are encoded: the scalar kind, and for an array column the element type's OID, which PostgreSQL checks.</summary>
    private readonly record struct ColumnFormat(string Column, string StoreType, Kind Kind, bool IsArray, int ElementOid);

    private readonly ArrayBufferWriter<byte> buffer = new(FlushAt * 2);
    private readonly ColumnFormat[] columns;

    private PostgresBinaryCopy(ColumnFormat[] columns) => this.columns = columns;

    /// <summary>The format of each column from its store type ("uuid", "character varying(20)", "integer[]"); an unknown one is refused.</summary>
    public static PostgresBinaryCopy For(IEnumerable<(string Column, string StoreType)> columns) =>
        new([.. columns.Select(c => FormatOf(c.Column, c.StoreType))]);

    private static ColumnFormat FormatOf(string column, string storeType)
    {
        bool isArray = storeType.EndsWith("[]", StringComparison.Ordinal);
        var scalar = isArray ? storeType[..^2] : storeType;
        int parenthesis = scalar.IndexOf('(', StringComparison.Ordinal);
        if (parenthesis >= 0) scalar = scalar[..parenthesis].TrimEnd();
        (Kind kind, int oid) = scalar switch
        {
            "uuid" => (Kind.Uuid, 2950),
            "text" => (Kind.Text, 25),
            "character varying" => (Kind.Text, 1043),
            "boolean" => (Kind.Boolean, 16),
            "smallint" => (Kind.Smallint, 21),
            "integer" => (Kind.Integer, 23),
            "bigint" => (Kind.Bigint, 20),
            "timestamp with time zone" => (Kind.TimestampTz, 1184),
            _ => throw new NotSupportedException($"A bulk insert does not write column {column} of type {storeType}."),
        };
        return new ColumnFormat(column, storeType, kind, isArray, oid);
    }

    /// <summary>
    /// Runs <paramref name="copy"/> (a <c>COPY … FROM STDIN (FORMAT BINARY)</c>) with the rows' values, column by column
    /// as given to <see cref="For"/>. If anything fails before the end, the COPY is cancelled and not one row is stored.
    /// </summary>
    public async Task WriteAsync<T>(Npgsql.NpgsqlConnection connection, string copy, IEnumerable<T> rows, Func<T, int, object?> value, CancellationToken ct)
    {
        await using var stream = await connection.BeginRawBinaryCopyAsync(copy, ct);
        try
        {
            buffer.Write(Header);
            foreach (var row in rows)
            {
                WriteInt16((short)columns.Length);
                for (int i = 0; i < columns.Length; i++) WriteField(columns[i], value(row, i));
                if (buffer.WrittenCount >= FlushAt) await FlushAsync(stream, ct);
            }
            WriteInt16(-1);
            await FlushAsync(stream, ct);
        }
        catch
        {
            try
            {
                await stream.CancelAsync();
            }
            catch (Exception)
            {
                // The connection is broken (nothing is stored either way); the first error says why, so it is the one thrown.
            }
            throw;
        }
    }

    private async Task FlushAsync(Stream stream, CancellationToken ct)
    {
        await stream.WriteAsync(buffer.WrittenMemory, ct);
        buffer.ResetWrittenCount();
    }

    private void WriteField(ColumnFormat column, object? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }
        if (!column.IsArray)
        {
            WriteScalar(column, value);
            return;
        }
        if (value is not IEnumerable items || value is string) throw Mismatch(column, value);
        // Array: its length, then dimensions, null flag, element type, size and lower bound of the one dimension, elements.
        var elements = items.Cast<object?>().ToList();
        int lengthAt = buffer.WrittenCount;
        WriteInt32(0); // the field's length, filled in below
        WriteInt32(elements.Count == 0 ? 0 : 1);
        WriteInt32(elements.Any(e => e is null) ? 1 : 0);
        WriteInt32(column.ElementOid);
        if (elements.Count > 0)
        {
            WriteInt32(elements.Count);
            WriteInt32(1);
        }
        foreach (var element in elements)
        {
            if (element is null) WriteInt32(-1);
            else WriteScalar(column, element);
        }
        // ArrayBufferWriter only hands out the free space, so the length is patched through the written memory.
        BinaryPrimitives.WriteInt32BigEndian(WrittenSpan(lengthAt, 4), buffer.WrittenCount - lengthAt - 4);
    }

    private Span<byte> WrittenSpan(int start, int length) =>
        System.Runtime.InteropServices.MemoryMarshal.AsMemory(buffer.WrittenMemory).Span.Slice(start, length);

    /// <summary>One value with its length, as a field of its own or an element of an array.</summary>
    private void WriteScalar(ColumnFormat column, object value)
    {
        switch (column.Kind, value)
        {
            case (Kind.Uuid, Guid guid):
                WriteInt32(16);
                // PostgreSQL's uuid is the RFC 9562 byte order, most significant byte first.
                guid.TryWriteBytes(buffer.GetSpan(16), bigEndian: true, out _);
                buffer.Advance(16);
                break;
            case (Kind.Text, string text):
                var span = buffer.GetSpan(4 + Utf8.GetMaxByteCount(text.Length));
                int bytes = Utf8.GetBytes(text, span[4..]);
                BinaryPrimitives.WriteInt32BigEndian(span, bytes);
                buffer.Advance(4 + bytes);
                break;
            case (Kind.Boolean, bool flag):
                WriteInt32(1);
                buffer.GetSpan(1)[0] = flag ? (byte)1 : (byte)0;
                buffer.Advance(1);
                break;
            case (Kind.Smallint, short number):
                WriteInt32(2);
                WriteInt16(number);
                break;
            case (Kind.Integer, int number):
                WriteInt32(4);
                WriteInt32(number);
                break;
            case (Kind.Bigint, long number):
                WriteInt32(8);
                WriteInt64(number);
                break;
            case (Kind.TimestampTz, DateTimeOffset time):
                // As Npgsql: only UTC is written (any other offset is refused there too), the smallest and largest
                // values are -infinity and infinity, and ticks are cut to whole microseconds.
                if (time.Offset != TimeSpan.Zero) throw new ArgumentException($"{column.Column}: only UTC times are stored; {time:O} has an offset.");
                WriteInt32(8);
                WriteInt64(time == DateTimeOffset.MinValue ? long.MinValue
                    : time == DateTimeOffset.MaxValue ? long.MaxValue
                    : (time.UtcTicks - PostgresEpochTicks) / 10);
                break;
            default:
                throw Mismatch(column, value);
        }
    }

    private static NotSupportedException Mismatch(ColumnFormat column, object value) =>
        new($"A bulk insert cannot write a {value.GetType().Name} into column {column.Column} of type {column.StoreType}.");

    private void WriteInt16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(buffer.GetSpan(2), value);
        buffer.Advance(2);
    }

    private void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    private void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }
}
