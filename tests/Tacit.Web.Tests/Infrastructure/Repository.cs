namespace Tacit.Web.Tests.Infrastructure;

/// <summary>The Tacit repository the tests run from: the folder above theirs that holds Tacit.slnx.</summary>
public static class Repository
{
    public static string PathOf(params string[] parts)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Tacit.slnx"))) directory = directory.Parent;
        if (directory is null) throw new InvalidOperationException($"No Tacit.slnx above {AppContext.BaseDirectory}.");
        return Path.Combine([directory.FullName, .. parts]);
    }
}
