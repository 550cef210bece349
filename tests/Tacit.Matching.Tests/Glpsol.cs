using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Tacit.Matching.Tests;

/// <summary>
/// Runs GLPK's glpsol on a DIMACS min-cost file and recomputes the optimal cost exactly from its column activities
/// (glpsol prints the objective with limited digits). glpsol makes one column per arc named x[tail,head], ordered by
/// tail and, within a tail, in reverse file order (its arc lists are built by prepending); the names are checked.
/// </summary>
internal static partial class Glpsol
{
    public static string Executable()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "glpsol");
            if (File.Exists(candidate)) return candidate;
        }
        Assert.Fail("glpsol (Debian package glpk-utils) is not installed; the optimality comparison cannot run. Install it with: apt-get install -y glpk-utils");
        return "";
    }

    public static long SolveExact(string dimacsText)
    {
        string glpsol = Executable();
        string dir = Path.Combine(Path.GetTempPath(), "tacit-glpsol-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string input = Path.Combine(dir, "network.dmx");
            string output = Path.Combine(dir, "solution.txt"); // glpsol deletes -o's file before writing: never a shared path
            File.WriteAllText(input, dimacsText);
            var start = new ProcessStartInfo(glpsol) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string arg in new[] { "--mincost", input, "--xcheck", "-o", output }) start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            string log = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, "glpsol failed: " + log);
            string solution = File.ReadAllText(output);
            Assert.Contains("Status:     OPTIMAL", solution, StringComparison.Ordinal);
            return ExactCost(dimacsText, solution);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static long ExactCost(string dimacs, string solution)
    {
        var arcs = new List<(int Tail, int Head, long Cost, int Index)>();
        foreach (string line in dimacs.Split('\n'))
        {
            if (!line.StartsWith("a ", StringComparison.Ordinal)) continue;
            var f = line.Split(' ');
            arcs.Add((int.Parse(f[1], CultureInfo.InvariantCulture), int.Parse(f[2], CultureInfo.InvariantCulture), long.Parse(f[5], CultureInfo.InvariantCulture), arcs.Count));
        }
        var columnOrder = arcs.OrderBy(a => a.Tail).ThenByDescending(a => a.Index).ToList();
        var columns = ColumnLine().Matches(solution);
        Assert.Equal(arcs.Count, columns.Count);
        long total = 0;
        for (int i = 0; i < columns.Count; i++)
        {
            var match = columns[i];
            var arc = columnOrder[i];
            Assert.Equal($"x[{arc.Tail},{arc.Head}]", match.Groups["name"].Value);
            double activity = double.Parse(match.Groups["activity"].Value, CultureInfo.InvariantCulture);
            long flow = (long)Math.Round(activity);
            Assert.True(Math.Abs(activity - flow) < 1e-6, $"fractional flow {activity} on {match.Groups["name"].Value}");
            total += flow * arc.Cost;
        }
        return total;
    }

    [GeneratedRegex(@"^\s*\d+\s+(?<name>x\[\d+,\d+\])\s+\S+\s+(?<activity>-?[0-9.e+\-]+)", RegexOptions.Multiline)]
    private static partial Regex ColumnLine();
}
