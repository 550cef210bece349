using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Tacit.Domain;

namespace Tacit.Web.Features.People;

/// <summary>
/// Turns an uploaded file's bytes into text. A byte order mark decides (UTF-8, UTF-16 LE or BE); without one the file
/// must be valid UTF-8, or else valid Windows-1252 (what Excel on Windows saves as "CSV"). Anything else is refused
/// with the line at fault, never read with replacement characters: a name mangled on import is a name mangled for good.
/// </summary>
public static class ImportFileText
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The five bytes Windows-1252 leaves undefined; a file holding one is in neither encoding.</summary>
    private static readonly SearchValues<byte> UndefinedInWindows1252 = SearchValues.Create([0x81, 0x8D, 0x8F, 0x90, 0x9D]);

    private static readonly Encoding Windows1252 = CreateWindows1252();

    private static Encoding CreateWindows1252()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    public const string Field = "File";

    /// <exception cref="DomainException">The file is not text in an encoding Tacit reads; the message names the line.</exception>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return DecodeUtf8WithMark(bytes[3..]);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return DecodeUtf16(bytes[2..], bigEndian: false);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return DecodeUtf16(bytes[2..], bigEndian: true);
        if (bytes.Contains((byte)0)) throw NotText();

        var status = Utf8Validity(bytes, out var invalidAt);
        if (status == OperationStatus.Done) return StrictUtf8.GetString(bytes);
        // Accented letters already read as UTF-8 before the bad byte: the file mixes encodings, and reading it all as
        // Windows-1252 would turn every one of them into two wrong letters.
        if (bytes[..invalidAt].ContainsAnyExceptInRange((byte)0, (byte)0x7F))
            throw new DomainException($"Line {LineOf(bytes, invalidAt)} is not valid UTF-8, though the lines before it are: the file mixes encodings. " +
                "Save it as \"CSV UTF-8\" and upload it again.", Field);
        var undefined = bytes.IndexOfAny(UndefinedInWindows1252);
        if (undefined >= 0)
            throw new DomainException($"Line {LineOf(bytes, undefined)} is not valid text in UTF-8 or Windows-1252 (byte 0x{bytes[undefined]:X2}). " +
                "Save the file as \"CSV UTF-8\" and upload it again.", Field);
        return Windows1252.GetString(bytes);
    }

    private static string DecodeUtf8WithMark(ReadOnlySpan<byte> bytes)
    {
        if (Utf8Validity(bytes, out var invalidAt) == OperationStatus.Done) return StrictUtf8.GetString(bytes);
        throw NotWhatItSays(LineOf(bytes, invalidAt), "UTF-8");
    }

    private static OperationStatus Utf8Validity(ReadOnlySpan<byte> bytes, out int invalidAt)
    {
        var chars = ArrayPool<char>.Shared.Rent(4096);
        try
        {
            var read = 0;
            while (true)
            {
                var status = Utf8.ToUtf16(bytes[read..], chars, out var bytesRead, out _, replaceInvalidSequences: false, isFinalBlock: true);
                read += bytesRead;
                if (status != OperationStatus.DestinationTooSmall)
                {
                    invalidAt = read;
                    return status;
                }
            }
        }
        finally { ArrayPool<char>.Shared.Return(chars); }
    }

    /// <summary>Reads the code units by hand: a decoder would replace a lone surrogate silently, and the line is wanted.</summary>
    private static string DecodeUtf16(ReadOnlySpan<byte> bytes, bool bigEndian)
    {
        var name = bigEndian ? "UTF-16 BE" : "UTF-16 LE";
        var chars = new char[bytes.Length / 2];
        for (var i = 0; i < chars.Length; i++)
            chars[i] = (char)(bigEndian ? bytes[2 * i] << 8 | bytes[2 * i + 1] : bytes[2 * i + 1] << 8 | bytes[2 * i]);
        var line = 1;
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] == '\n') line++;
            else if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1])) i++;
            else if (char.IsSurrogate(chars[i])) throw NotWhatItSays(line, name);
            else if (chars[i] == '\0') throw NotText();
        }
        // An odd byte out is half a character at the end.
        if (bytes.Length % 2 != 0) throw NotWhatItSays(line, name);
        return new string(chars);
    }

    private static DomainException NotWhatItSays(int line, string encoding) =>
        new($"Line {line} is not valid {encoding} text, though the file says it is {encoding}. Save it as \"CSV UTF-8\" and upload it again.", Field);

    private static DomainException NotText() =>
        new("This is not a text CSV file. If it is a spreadsheet, save it as CSV and upload that.", Field);

    private static int LineOf(ReadOnlySpan<byte> bytes, int index) => bytes[..index].Count((byte)'\n') + 1;
}
