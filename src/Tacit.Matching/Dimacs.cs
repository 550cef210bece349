using System.Globalization;

namespace Tacit.Matching;

/// <summary>
/// DIMACS min-cost flow export ("p min", "n id supply", "a tail head low cap cost"; nodes 1-based) of exactly the network
/// the solver optimises, so an independent solver (e.g. glpsol --mincost) can confirm the plan's objective.
/// </summary>
internal static class Dimacs
{
    public static void Write(FlowNetwork network, TextWriter writer)
    {
        var culture = CultureInfo.InvariantCulture;
        writer.Write("c Tacit matching network (docs/matching.md); minimum cost = plan objective\n");
        writer.Write(string.Create(culture, $"p min {network.NodeCount} {network.ArcCount}\n"));
        for (int v = 0; v < network.NodeCount; v++)
        {
            long supply = network.Supply[v];
            if (supply != 0) writer.Write(string.Create(culture, $"n {v + 1} {supply}\n"));
        }
        foreach (var arc in network.Arcs)
            writer.Write(string.Create(culture, $"a {arc.Tail + 1} {arc.Head + 1} 0 {arc.Capacity} {arc.Cost}\n"));
    }
}
