using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Unicode;

namespace Tacit.Matching;

/// <summary>
/// The fast way of reading instance JSON: one pass of <see cref="Utf8JsonReader"/> over the bytes, straight into the
/// records, checking UTF-8 as the bytes arrive. It accepts only what the strict reading (<see cref="InstanceJson"/>)
/// accepts and builds the same document; at anything it is not sure of (an unknown or repeated property, a null or a
/// wrong type where a value is required, a missing required property, an escaped property name, invalid UTF-8 or
/// JSON) it gives up and answers null, and the strict reading runs to name the error. Why: the serializer's metadata
/// path took about 1.2 s of a 100,000-person instance's 107 MB, most of the <c>tacit match</c> overhead (issue 13, point 6).
/// Its methods are compiled fully optimised at once: in a fresh process, tiered compilation ran them slowly for most of
/// the read (0.6 s of 1.2 s).
/// </summary>
internal sealed class InstanceReader
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private readonly Stream? _stream;
    private byte[] _buffer;
    private int _end;       // bytes [0, _end) of the buffer hold data
    private int _start;     // the current reader reads [_start, _end)
    private int _checked;   // bytes [0, _checked) are known to be UTF-8
    private bool _final;

    private InstanceReader(Stream stream, int bufferSize) => (_stream, _buffer) = (stream, new byte[bufferSize]);

    private InstanceReader(byte[] buffer) => (_buffer, _end, _final) = (buffer, buffer.Length, true);

    /// <summary>Reads an instance from <paramref name="utf8"/> (positioned after any BOM) or gives up (null); the stream is read to its end or to where it gave up.</summary>
    public static InstanceDocument? Read(Stream utf8, int bufferSize = 1 << 20)
    {
        return new InstanceReader(utf8, bufferSize).Document();
    }

    /// <summary>Reads an instance held in memory (after any BOM) or gives up (null).</summary>
    public static InstanceDocument? Read(ReadOnlySpan<byte> utf8) =>
        Utf8.IsValid(utf8) ? new InstanceReader(utf8.ToArray()) { _checked = utf8.Length }.Document() : null;

    private sealed class GiveUp : Exception;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private InstanceDocument? Document()
    {
        try
        {
            if (_stream is not null) Fill();
            var json = new Utf8JsonReader(_buffer.AsSpan(0, _end), _final, new JsonReaderState(Options));
            Expect(ref json, JsonTokenType.StartObject);
            var document = ReadDocument(ref json);
            // Nothing but whitespace and comments may follow, as for the serializer.
            return Next(ref json) ? null : document;
        }
        catch (Exception e) when (e is GiveUp or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    // ---- the bytes ----

    /// <summary>Reads the next token, refilling the buffer from the stream as often as a token spans its end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Next(ref Utf8JsonReader json)
    {
        while (!json.Read())
        {
            if (_final) return false;
            var state = json.CurrentState;
            _start += (int)json.BytesConsumed;
            Fill();
            json = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, state);
        }
        return true;
    }

    /// <summary>Moves the unread bytes to the front, reads more (growing the buffer when one token fills it) and checks the new bytes are UTF-8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Fill()
    {
        int kept = _end - _start;
        if (kept == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        if (_start > 0)
        {
            _buffer.AsSpan(_start, kept).CopyTo(_buffer);
            _checked -= _start;
            _end = kept;
            _start = 0;
        }
        while (_end < _buffer.Length)
        {
            int read = _stream!.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0) { _final = true; break; }
            _end += read;
        }
        // A sequence cut by the end of the buffer is checked with the bytes that complete it.
        int complete = _final ? _end : _checked + CompleteSequences(_buffer.AsSpan(_checked, _end - _checked));
        if (!Utf8.IsValid(_buffer.AsSpan(_checked, complete - _checked))) throw new GiveUp();
        _checked = complete;
    }

    /// <summary>How many leading bytes of <paramref name="bytes"/> end on a UTF-8 sequence boundary.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int CompleteSequences(ReadOnlySpan<byte> bytes)
    {
        for (int i = bytes.Length - 1; i >= 0 && i >= bytes.Length - 4; i--)
        {
            byte b = bytes[i];
            if ((b & 0xC0) == 0x80) continue; // a continuation byte: look further back for its lead
            int length = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
            return i + length <= bytes.Length ? bytes.Length : i;
        }
        return bytes.Length; // only continuation bytes: invalid, and Utf8.IsValid will say so
    }

    // ---- the records ----

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private InstanceDocument ReadDocument(ref Utf8JsonReader json)
    {
        var document = new InstanceDocument();
        int seen = 0;
        while (Property(ref json))
        {
            if (Is(ref json, "people"u8, 1, ref seen)) document.People = List(ref json, ReadPerson);
            else if (Is(ref json, "skills"u8, 2, ref seen)) document.Skills = List(ref json, ReadSkill);
            else if (Is(ref json, "shares"u8, 4, ref seen)) document.Shares = List(ref json, ReadShare);
            else if (Is(ref json, "wants"u8, 8, ref seen)) document.Wants = List(ref json, ReadWant);
            else if (Is(ref json, "lastCyclePairs"u8, 16, ref seen)) document.LastCyclePairs = List(ref json, ReadPair);
            else if (Is(ref json, "settings"u8, 32, ref seen)) document.Settings = Object(ref json, ReadSettings);
            else throw new GiveUp();
        }
        Required(seen, 1 | 2 | 4 | 8);
        return document;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private PersonRecord ReadPerson(ref Utf8JsonReader json)
    {
        var person = new PersonRecord();
        int seen = 0;
        while (Property(ref json))
        {
            if (Is(ref json, "id"u8, 1, ref seen)) person.Id = String(ref json);
            else if (Is(ref json, "department"u8, 2, ref seen)) person.Department = String(ref json);
            else if (Is(ref json, "authorityLevel"u8, 4, ref seen)) person.AuthorityLevel = Int(ref json);
            else if (Is(ref json, "maxLearnerSessions"u8, 8, ref seen)) person.MaxLearnerSessions = Int(ref json);
            else if (Is(ref json, "managerId"u8, 16, ref seen)) person.ManagerId = NullableString(ref json);
            else if (Is(ref json, "availability"u8, 32, ref seen)) person.Availability = NullableInts(ref json);
            else if (Is(ref json, "maxTeacherSessions"u8, 64, ref seen)) person.MaxTeacherSessions = NullableInt(ref json);
            else throw new GiveUp();
        }
        Required(seen, 1 | 2 | 4 | 8);
        return person;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private SkillRecord ReadSkill(ref Utf8JsonReader json)
    {
        var skill = new SkillRecord();
        int seen = 0;
        while (Property(ref json))
        {
            if (Is(ref json, "id"u8, 1, ref seen)) skill.Id = String(ref json);
            else if (Is(ref json, "name"u8, 2, ref seen)) skill.Name = NullableString(ref json);
            else throw new GiveUp();
        }
        Required(seen, 1);
        return skill;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ShareRecord ReadShare(ref Utf8JsonReader json)
    {
        var share = new ShareRecord();
        int seen = 0;
        while (Property(ref json))
        {
            if (Is(ref json, "teacherId"u8, 1, ref seen)) share.TeacherId = String(ref json);
            else if (Is(ref json, "skillId"u8, 2, ref seen)) share.SkillId = String(ref json);
            else if (Is(ref json, "level"u8, 4, ref seen)) share.Level = Int(ref json);
            else if (Is(ref json, "sessions"u8, 8, ref seen)) share.Sessions = Int(ref json);
            else if (Is(ref json, "acceptsGroups"u8, 16, ref seen)) share.AcceptsGroups = Bool(ref json);
            else if (Is(ref json, "maxGroupSize"u8, 32, ref seen)) share.MaxGroupSize = Int(ref json);
            else throw new GiveUp();
        }
        Required(seen, 1 | 2 | 4 | 8);
        return share;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private WantRecord ReadWant(ref Utf8JsonReader json)
    {
        var want = new WantRecord();
        int seen = 0;
        while (Property(ref json))
        {
            if (Is(ref json, "learnerId"u8, 1, ref seen)) want.LearnerId = String(ref json);
            else if (Is(ref json, "skillId"u8, 2, ref seen)) want.SkillId = String(ref json);
            else if (Is(ref json, "priority"u8, 4, ref seen)) want.Priority = PriorityValue(ref json);
            else if (Is(ref json, "preferredTeacherId"u8, 8, ref seen)) want.PreferredTeacherId = NullableString(ref json);
            else throw new GiveUp();
        }
        Required(seen, 1 | 2);
        return want;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private PairRecord ReadPair(ref Utf8JsonReader json)
    {
        var pair = new PairRecord();
        int seen = 0;
        while (Property(ref json))
        {
            if (Is(ref json, "learnerId"u8, 1, ref seen)) pair.LearnerId = String(ref json);
            else if (Is(ref json, "teacherId"u8, 2, ref seen)) pair.TeacherId = String(ref json);
            else throw new GiveUp();
        }
        Required(seen, 1 | 2);
        return pair;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private MatchingSettings ReadSettings(ref Utf8JsonReader json)
    {
        var settings = new MatchingSettings();
        int seen = 0;
        while (Property(ref json))
        {
            if (Is(ref json, "weights"u8, 1, ref seen)) settings.Weights = Object(ref json, ReadWeights);
            else if (Is(ref json, "excludeWholeReportingChain"u8, 2, ref seen)) settings.ExcludeWholeReportingChain = Bool(ref json);
            else if (Is(ref json, "lastCyclePairs"u8, 4, ref seen)) settings.LastCyclePairs = Choice(ref json, "hard"u8, "soft"u8) == 0 ? LastCyclePairsRule.Hard : LastCyclePairsRule.Soft;
            else if (Is(ref json, "availability"u8, 8, ref seen)) settings.Availability = Choice(ref json, "hard"u8, "soft"u8) == 0 ? AvailabilityRule.Hard : AvailabilityRule.Soft;
            else if (Is(ref json, "maxAuthorityGap"u8, 16, ref seen)) settings.MaxAuthorityGap = NullableInt(ref json);
            else throw new GiveUp();
        }
        return settings;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private MatchingWeights ReadWeights(ref Utf8JsonReader json)
    {
        var weights = new MatchingWeights();
        int seen = 0;
        while (Property(ref json))
        {
            if (Is(ref json, "highPriority"u8, 1, ref seen)) weights.HighPriority = Int(ref json);
            else if (Is(ref json, "mediumPriority"u8, 2, ref seen)) weights.MediumPriority = Int(ref json);
            else if (Is(ref json, "lowPriority"u8, 4, ref seen)) weights.LowPriority = Int(ref json);
            else if (Is(ref json, "crossDepartment"u8, 8, ref seen)) weights.CrossDepartment = Int(ref json);
            else if (Is(ref json, "peerCloseness"u8, 16, ref seen)) weights.PeerCloseness = Int(ref json);
            else if (Is(ref json, "preferredTeacher"u8, 32, ref seen)) weights.PreferredTeacher = Int(ref json);
            else if (Is(ref json, "teacherLevel"u8, 64, ref seen)) weights.TeacherLevel = Int(ref json);
            else if (Is(ref json, "repeatPairPenalty"u8, 128, ref seen)) weights.RepeatPairPenalty = Int(ref json);
            else if (Is(ref json, "groupPenalty"u8, 256, ref seen)) weights.GroupPenalty = Int(ref json);
            else if (Is(ref json, "noCommonHourPenalty"u8, 512, ref seen)) weights.NoCommonHourPenalty = Int(ref json);
            else throw new GiveUp();
        }
        return weights;
    }

    // ---- the values ----

    private delegate T ReadRecord<T>(ref Utf8JsonReader json);

    /// <summary>An array of objects; a null item or a null array gives up (the strict reading refuses both).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private List<T> List<T>(ref Utf8JsonReader json, ReadRecord<T> read)
    {
        Expect(ref json, JsonTokenType.StartArray);
        var items = new List<T>();
        while (true)
        {
            if (!Next(ref json)) throw new GiveUp();
            if (json.TokenType == JsonTokenType.EndArray) return items;
            if (json.TokenType != JsonTokenType.StartObject) throw new GiveUp();
            items.Add(read(ref json));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private T Object<T>(ref Utf8JsonReader json, ReadRecord<T> read)
    {
        Expect(ref json, JsonTokenType.StartObject);
        return read(ref json);
    }

    /// <summary>Moves to the next property's value; false at the end of the object. An escaped name gives up (the strict reading unescapes it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Property(ref Utf8JsonReader json)
    {
        if (!Next(ref json)) throw new GiveUp();
        if (json.TokenType == JsonTokenType.EndObject) return false;
        if (json.TokenType != JsonTokenType.PropertyName || json.ValueIsEscaped) throw new GiveUp();
        return true;
    }

    /// <summary>Whether the current property is <paramref name="name"/>; a property seen before gives up (the strict reading refuses repeats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Is(ref Utf8JsonReader json, ReadOnlySpan<byte> name, int flag, ref int seen)
    {
        if (!json.ValueTextEquals(name)) return false;
        if ((seen & flag) != 0) throw new GiveUp();
        seen |= flag;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Required(int seen, int required)
    {
        if ((seen & required) != required) throw new GiveUp();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Expect(ref Utf8JsonReader json, JsonTokenType type)
    {
        if (!Next(ref json) || json.TokenType != type) throw new GiveUp();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string String(ref Utf8JsonReader json)
    {
        Expect(ref json, JsonTokenType.String);
        return json.GetString()!;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string? NullableString(ref Utf8JsonReader json)
    {
        if (!Next(ref json)) throw new GiveUp();
        return json.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => json.GetString(),
            _ => throw new GiveUp(),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Int(ref Utf8JsonReader json)
    {
        Expect(ref json, JsonTokenType.Number);
        return json.TryGetInt32(out int value) ? value : throw new GiveUp();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int? NullableInt(ref Utf8JsonReader json)
    {
        if (!Next(ref json)) throw new GiveUp();
        if (json.TokenType == JsonTokenType.Null) return null;
        if (json.TokenType != JsonTokenType.Number || !json.TryGetInt32(out int value)) throw new GiveUp();
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int[]? NullableInts(ref Utf8JsonReader json)
    {
        if (!Next(ref json)) throw new GiveUp();
        if (json.TokenType == JsonTokenType.Null) return null;
        if (json.TokenType != JsonTokenType.StartArray) throw new GiveUp();
        var values = new List<int>();
        while (true)
        {
            if (!Next(ref json)) throw new GiveUp();
            if (json.TokenType == JsonTokenType.EndArray) return [.. values];
            if (json.TokenType != JsonTokenType.Number || !json.TryGetInt32(out int value)) throw new GiveUp();
            values.Add(value);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Bool(ref Utf8JsonReader json)
    {
        if (!Next(ref json)) throw new GiveUp();
        return json.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => throw new GiveUp(),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Priority PriorityValue(ref Utf8JsonReader json) => (Priority)Choice(ref json, "low"u8, "medium"u8, "high"u8);

    /// <summary>The index of the string value among the enum's camelCase names, spelled exactly (as <see cref="ExactEnumConverter{TEnum}"/> reads them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Choice(ref Utf8JsonReader json, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third = default)
    {
        Expect(ref json, JsonTokenType.String);
        if (json.ValueTextEquals(first)) return 0;
        if (json.ValueTextEquals(second)) return 1;
        if (!third.IsEmpty && json.ValueTextEquals(third)) return 2;
        throw new GiveUp();
    }
}
