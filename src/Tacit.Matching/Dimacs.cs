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
        var tails = network.Tails;
        var heads = network.Heads;
        var caps = network.Capacities;
        var costs = network.Costs;
        for (int a = 0; a < network.ArcCount; a++)
            writer.Write(string.Create(culture, $"a {tails[a] + 1} {heads[a] + 1} 0 {caps[a]} {costs[a]}\n"));
    }
}
