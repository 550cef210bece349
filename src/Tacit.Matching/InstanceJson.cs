using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Tacit.Matching;

/// <summary>
/// Strict reading of instance JSON: UTF-8 only, every property the schema requires present, no JSON null where a value is
/// required, enums spelled exactly, no unknown or repeated properties. Each error names its JSON path,
/// e.g. <c>$.people[3].maxLearnerSessions: required</c>. The fast reader (<see cref="InstanceReader"/>) reads every
/// well-formed instance; the serializer here runs when it gives up, and names what is wrong.
/// </summary>
internal static partial class InstanceJson
{
    private static readonly MatchingJsonContext StrictContext = new(new JsonSerializerOptions(MatchingJsonContext.Default.Options)
    {
        RespectNullableAnnotations = true,
        AllowDuplicateProperties = false,
    });

    public static InstanceDocument Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    public static InstanceDocument Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.StartsWith(Encoding.UTF8.Preamble)) utf8 = utf8[Encoding.UTF8.Preamble.Length..];
        return InstanceReader.Read(utf8) ?? Strict(utf8);
    }

    /// <summary>The strict reading alone, without the fast reader: it names what is wrong (tests compare the two).</summary>
    internal static InstanceDocument Strict(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8)) throw InvalidUtf8(utf8);
        InstanceDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(utf8, StrictContext.InstanceDocument);
        }
        catch (JsonException ex)
        {
            throw new InstanceValidationException(Describe(ex));
        }
        return Checked(document);
    }

    private static InstanceDocument Checked(InstanceDocument? document)
    {
        if (document is null) throw new InstanceValidationException("$: must be an object, not null");
        NoNullItems(document.People, "people");
        NoNullItems(document.Skills, "skills");
        NoNullItems(document.Shares, "shares");
        NoNullItems(document.Wants, "wants");
        NoNullItems(document.LastCyclePairs, "lastCyclePairs");
        return document;
    }

    /// <summary>
    /// Reads an instance from a seekable UTF-8 stream (a file) without holding all of it, in one pass of the fast reader
    /// (<see cref="InstanceReader"/>); only when that gives up is the stream read again, strictly, to name the error: one
    /// pass checks that it is UTF-8, a second deserializes it in buffer-sized pieces. The errors are the same as for the same
    /// bytes in memory.
    /// </summary>
    public static InstanceDocument Parse(Stream utf8)
    {
        long start = SkipPreamble(utf8);
        if (InstanceReader.Read(utf8) is { } read) return read;
        utf8.Position = start;
        if (FirstInvalidByte(utf8) is { } invalid)
        {
            // Only on error: the bytes up to the invalid sequence, to name its path as the in-memory check does.
            utf8.Position = start;
            var prefix = new byte[(int)Math.Min(invalid + 4, utf8.Length - start)];
            utf8.ReadExactly(prefix);
            throw InvalidUtf8(prefix);
        }
        utf8.Position = start;
        InstanceDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(utf8, StrictContext.InstanceDocument);
        }
        catch (JsonException ex)
        {
            throw new InstanceValidationException(Describe(ex));
        }
        return Checked(document);
    }

    private static long SkipPreamble(Stream utf8)
    {
        Span<byte> first = stackalloc byte[3];
        int read = utf8.ReadAtLeast(first, 3, throwOnEndOfStream: false);
        long start = read == 3 && first.SequenceEqual(Encoding.UTF8.Preamble) ? 3 : 0;
        utf8.Position = start;
        return start;
    }

    /// <summary>The offset (after any BOM) of the first byte that is not valid UTF-8, or null; reads the stream in 64 KiB pieces.</summary>
    private static long? FirstInvalidByte(Stream utf8)
    {
        var bytes = new byte[1 << 16];
        var chars = new char[bytes.Length];
        long offset = 0;
        int carried = 0;
        while (true)
        {
            int read = utf8.Read(bytes, carried, bytes.Length - carried);
            int length = carried + read;
            bool last = read == 0;
            var status = Utf8.ToUtf16(bytes.AsSpan(0, length), chars, out int consumed, out _, replaceInvalidSequences: false, isFinalBlock: last);
            if (status == System.Buffers.OperationStatus.InvalidData) return offset + consumed;
            if (last) return null;
            // A sequence cut by the end of the piece is read again with the next one.
            carried = length - consumed;
            bytes.AsSpan(consumed, carried).CopyTo(bytes);
            offset += consumed;
        }
    }

    private static void NoNullItems<T>(List<T> items, string name)
        where T : class
    {
        int i = items.IndexOf(null!);
        if (i >= 0) throw new InstanceValidationException($"$.{name}[{i}]: must be an object, not null");
    }

    /// <summary>Turns the serializer's message (which names .NET types) into "path: what is wrong (line, column)".</summary>
    private static string Describe(JsonException ex)
    {
        string path = ex.Path ?? "$";
        string where = ex.LineNumber is { } line ? $" (line {line + 1}, column {ex.BytePositionInLine + 1})" : "";
        string message = ex.Message;
        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            // The path is the object's; the message lists every missing property as 'name'.
            var names = QuotedName().Matches(message[message.IndexOf(':', StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value);
            return string.Join("; ", names.Select(name => $"{path}.{name}: required")) + where;
        }
        string problem =
            message.Contains("doesn't allow setting null values", StringComparison.Ordinal) ? "must not be null"
            : message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) ? "unknown property (see docs/instance.schema.json)"
            : message.Contains("Duplicate property", StringComparison.OrdinalIgnoreCase) ? "property given twice"
            : message.Contains("could not be converted to", StringComparison.Ordinal) ? Expected(message)
            : FirstSentence(message);
        return $"{path}: {problem}{where}";
    }

    private static string Expected(string message) =>
        message.Contains("to System.Int32[]", StringComparison.Ordinal) ? "must be an array of integers"
        : message.Contains("to System.Nullable`1[System.Int32]", StringComparison.Ordinal) ? "must be an integer or null"
        : message.Contains("to System.Int32", StringComparison.Ordinal) ? "must be an integer (-2147483648 to 2147483647)"
        : message.Contains("to System.String", StringComparison.Ordinal) ? "must be a string"
        : message.Contains("to System.Boolean", StringComparison.Ordinal) ? "must be true or false"
        : message.Contains("to System.Collections.Generic.List", StringComparison.Ordinal) ? "must be an array"
        : message.Contains("to Tacit.Matching.", StringComparison.Ordinal) ? "must be an object"
        : FirstSentence(message);

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd(' ', '.', '|');
    }

    /// <summary>Names the first invalid byte and the JSON path where it is.</summary>
    private static InstanceValidationException InvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        Utf8.ToUtf16(utf8, new char[utf8.Length], out int valid, out _, replaceInvalidSequences: false);
        int line = 1 + utf8[..valid].Count((byte)'\n');
        return new InstanceValidationException($"{PathAt(utf8[..valid])}: not valid UTF-8 (byte 0x{utf8[valid]:X2} at offset {valid}, line {line}); save the instance as UTF-8");
    }

    /// <summary>The path of the value being read where <paramref name="prefix"/> ends.</summary>
    private static string PathAt(ReadOnlySpan<byte> prefix)
    {
        var frames = new List<(bool Array, int Index, string? Name)>();
        void Element()
        {
            if (frames.Count > 0 && frames[^1].Array) frames[^1] = frames[^1] with { Index = frames[^1].Index + 1 };
        }
        var reader = new Utf8JsonReader(prefix, isFinalBlock: false, new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }));
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Element();
                        frames.Add((reader.TokenType == JsonTokenType.StartArray, -1, null));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        frames[^1] = frames[^1] with { Name = reader.GetString() };
                        break;
                    default:
                        Element();
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // A syntax error before the invalid byte: the path read so far is the best answer.
        }
        var path = new StringBuilder("$");
        foreach (var frame in frames)
        {
            if (frame.Array && frame.Index >= 0) path.Append('[').Append(frame.Index).Append(']');
            else if (!frame.Array && frame.Name is not null) path.Append('.').Append(frame.Name);
        }
        return path.ToString();
    }

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex QuotedName();
}
