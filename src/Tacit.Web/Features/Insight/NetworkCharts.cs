using System.Globalization;
using System.Net;
using System.Text;

namespace Tacit.Web.Features.Insight;

/// <summary>
/// The learning network's pictures, drawn on the server as inline SVG: nothing to download, nothing run in the
/// browser. Each has a title and a description for screen readers, and the pages put the same figures in a table.
/// </summary>
public static class NetworkCharts
{
    private const int Width = 640;
    private const int LabelWidth = 170;
    private const int Row = 34;
    private const int Top = 40;
    private const int MaxStroke = 18;
    private const int LabelLength = 24;

    /// <summary>Teaching departments on the left, learning departments on the right, a band for each pair as thick as its learner places.</summary>
    public static string Flows(IReadOnlyList<DepartmentFlow> flows, string id)
    {
        var from = flows.Select(f => f.From).Distinct().Order(StringComparer.OrdinalIgnoreCase).ToList();
        var to = flows.Select(f => f.To).Distinct().Order(StringComparer.OrdinalIgnoreCase).ToList();
        var height = Top + Row * Math.Max(Math.Max(from.Count, to.Count), 1) + 10;
        var max = Math.Max(1, flows.Select(f => f.Learnings).DefaultIfEmpty(1).Max());
        var crossing = flows.Where(f => f.From != f.To).Sum(f => f.Learnings);
        var total = flows.Sum(f => f.Learnings);
        var svg = Open(id, height, "Who learns from whom between departments",
            $"{flows.Count} department pairs; {crossing} of {total} learner places cross departments. Thicker bands carry more learning.");
        double Y(int index) => Top + Row * index + Row / 2.0;
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 8}\" y=\"20\" text-anchor=\"end\" class=\"chart-heading\">Teaches</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - LabelWidth + 8}\" y=\"20\" class=\"chart-heading\">Learns</text>");
        foreach (var flow in flows.OrderByDescending(f => f.Learnings))
        {
            double y1 = Y(from.IndexOf(flow.From)), y2 = Y(to.IndexOf(flow.To)), x1 = LabelWidth, x2 = Width - LabelWidth, mid = Width / 2.0;
            var stroke = 2 + (MaxStroke - 2) * flow.Learnings / (double)max;
            svg.Append(CultureInfo.InvariantCulture,
                $"<path d=\"M{x1:0.#},{y1:0.#} C{mid:0.#},{y1:0.#} {mid:0.#},{y2:0.#} {x2:0.#},{y2:0.#}\" class=\"{(flow.From == flow.To ? "flow-within" : "flow-across")}\" stroke-width=\"{stroke:0.#}\">");
            svg.Append(CultureInfo.InvariantCulture, $"<title>{Text(flow.From)} to {Text(flow.To)}: {flow.Learnings} learner places</title></path>");
        }
        for (var i = 0; i < from.Count; i++) Label(svg, LabelWidth - 8, Y(i), from[i], "end");
        for (var i = 0; i < to.Count; i++) Label(svg, Width - LabelWidth + 8, Y(i), to[i], "start");
        return svg.Append("</svg>").ToString();
    }

    /// <summary>The silo index cycle over cycle: percent of sessions crossing departments, 0–100, one point per cycle with a figure.</summary>
    public static string Trend(IReadOnlyList<SiloPoint> points, string id)
    {
        const int height = 200, left = 44, right = 16, top = 16, bottom = 40;
        var shown = points.Where(p => p.Percent is not null).ToList();
        var description = shown.Count == 0 ? "No cycle has held five sessions yet."
            : string.Join("; ", shown.Select(p => $"{p.Cycle}: {p.Percent}%"));
        var svg = Open(id, height, "Silo index by cycle (percent of sessions that cross departments)", description);
        var plotWidth = Width - left - right;
        var plotHeight = height - top - bottom;
        foreach (var percent in new[] { 0, 50, 100 })
        {
            var y = top + plotHeight * (1 - percent / 100.0);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{Width - right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" class=\"grid\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{percent}%</text>");
        }
        var coordinates = shown.Select((p, i) => (Point: p,
            X: left + (shown.Count == 1 ? plotWidth / 2.0 : plotWidth * i / (double)(shown.Count - 1)),
            Y: top + plotHeight * (1 - p.Percent!.Value / 100.0))).ToList();
        if (coordinates.Count > 1)
            svg.Append("<polyline class=\"trend-line\" points=\"")
                .AppendJoin(' ', coordinates.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.X:0.#},{c.Y:0.#}"))).Append("\"/>");
        foreach (var c in coordinates)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{c.X:0.#}\" cy=\"{c.Y:0.#}\" r=\"5\" class=\"trend-point\"><title>{Text(c.Point.Cycle)}: {c.Point.Percent}%</title></circle>");
            Label(svg, c.X, height - 14, c.Point.Cycle, "middle");
        }
        return svg.Append("</svg>").ToString();
    }

    private static StringBuilder Open(string id, int height, string title, string description) =>
        new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">")
        .Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{Text(title)}</title><desc id=\"{id}-desc\">{Text(description)}</desc>");

    private static void Label(StringBuilder svg, double x, double y, string text, string anchor)
    {
        var shortened = text.Length > LabelLength ? text[..(LabelLength - 1)] + "…" : text;
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{y + 4:0.#}\" text-anchor=\"{anchor}\">{Text(shortened)}</text>");
    }

    private static string Text(string value) => WebUtility.HtmlEncode(value);
}
