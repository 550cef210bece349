namespace Tacit.Cli;

/// <summary>
/// An output file written whole or not at all. <see cref="Create"/> makes a temporary file next to the target at once, so a
/// path that cannot be written (missing directory, a directory, no permission) fails before any work; <see cref="Commit"/>
/// moves it over the target; disposing without committing deletes it.
/// </summary>
public sealed class OutputFile : IDisposable
{
    private readonly string _temporary;
    private FileStream? _stream;
    private bool _moved;

    private OutputFile(string path, string temporary, FileStream stream)
    {
        Path = path;
        _temporary = temporary;
        _stream = stream;
    }

    /// <summary>The target's full path.</summary>
    public string Path { get; }

    public Stream Stream => _stream ?? throw new InvalidOperationException("The output file is already committed.");

    /// <exception cref="CliInputException">The path cannot be written.</exception>
    public static OutputFile Create(string path, string option)
    {
        string full = System.IO.Path.GetFullPath(path);
        string cannot = $"cannot write {option} {full}";
        if (Directory.Exists(full)) throw new CliInputException($"{cannot}: it is a directory");
        string directory = System.IO.Path.GetDirectoryName(full) ?? throw new CliInputException($"{cannot}: not a file path");
        if (!Directory.Exists(directory)) throw new CliInputException($"{cannot}: the directory {directory} does not exist");
        string temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            return new OutputFile(full, temporary, new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16));
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new CliInputException($"{cannot}: {e.Message}");
        }
    }

    /// <summary>Flushes the temporary file to disk and moves it over the target.</summary>
    public void Commit()
    {
        var stream = _stream ?? throw new InvalidOperationException("The output file is already committed.");
        try
        {
            stream.Flush(flushToDisk: true);
            stream.Dispose();
            _stream = null;
            File.Move(_temporary, Path, overwrite: true);
            _moved = true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new CliInputException($"cannot write {Path}: {e.Message}");
        }
    }

    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
        if (!_moved) File.Delete(_temporary);
    }
}
