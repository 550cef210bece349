using System.Diagnostics;
using System.Text.Json;

namespace Tacit.Web.Tests.Infrastructure;

/// <summary>
/// Parses iCalendar text with Mozilla's ical.js (the library Thunderbird's and many web calendars' parsers grew from),
/// installed from npm at test time into the repository's ignored .tmp folder, so that Tacit's feed is read by a parser
/// Tacit did not write.
/// </summary>
public static class IcalJs
{
    public const string Version = "2.2.1";

    public sealed record CalendarRead(string? Name, string? Method, List<EventRead> Events);

    public sealed record EventRead(string Uid, int Sequence, string? Status, string Start, string End, string StartZone, string Summary, List<string> Attendees);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly SemaphoreSlim Installing = new(1, 1);

    private const string Script = """
        import ICAL from 'ical.js';
        let text = '';
        for await (const chunk of process.stdin) text += chunk;
        const calendar = new ICAL.Component(ICAL.parse(text));
        if (calendar.name !== 'vcalendar') throw new Error('not a VCALENDAR: ' + calendar.name);
        const events = calendar.getAllSubcomponents('vevent').map(v => {
          const e = new ICAL.Event(v);
          return {
            uid: e.uid, sequence: e.sequence, status: v.getFirstPropertyValue('status'),
            start: e.startDate.toJSDate().toISOString(), end: e.endDate.toJSDate().toISOString(),
            startZone: e.startDate.zone.tzid, summary: e.summary,
            attendees: v.getAllProperties('attendee').map(a => a.getFirstValue()),
          };
        });
        process.stdout.write(JSON.stringify({
          name: calendar.getFirstPropertyValue('x-wr-calname'), method: calendar.getFirstPropertyValue('method'), events,
        }));
        """;

    public static async Task<CalendarRead> ParseAsync(string ics)
    {
        var folder = await InstallAsync();
        var (exit, output, error) = await RunAsync("node", [Path.Combine(folder, "read.mjs")], folder, ics);
        if (exit != 0) throw new InvalidOperationException($"ical.js refused the calendar: {error}\n{ics}");
        return JsonSerializer.Deserialize<CalendarRead>(output, Json)!;
    }

    private static async Task<string> InstallAsync()
    {
        var folder = Repository.PathOf(".tmp", $"ical.js-{Version}");
        await Installing.WaitAsync();
        try
        {
            if (!File.Exists(Path.Combine(folder, "node_modules", "ical.js", "package.json")))
            {
                Directory.CreateDirectory(folder);
                await File.WriteAllTextAsync(Path.Combine(folder, "package.json"), """{ "name": "tacit-ical-check", "private": true, "type": "module" }""");
                var (exit, _, error) = await RunAsync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", $"ical.js@{Version}"], folder, null);
                if (exit != 0) throw new InvalidOperationException($"npm install ical.js failed: {error}");
            }
            await File.WriteAllTextAsync(Path.Combine(folder, "read.mjs"), Script);
            return folder;
        }
        finally { Installing.Release(); }
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string command, string[] arguments, string folder, string? input)
    {
        var start = new ProcessStartInfo(command) { WorkingDirectory = folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
