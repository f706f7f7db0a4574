using System.Globalization;

namespace Baton.Server.Ui.Common;

/// <summary>An edge of a dependency graph: <see cref="From"/> must finish before <see cref="To"/> (the arrow's direction).</summary>
public sealed record DagEdge(string From, string To);

/// <summary>A node's place: its layer (column), its order in the layer (row), and the top-left corner of its box.</summary>
public sealed record PlacedNode(string Key, int Layer, int Order, double X, double Y);

/// <summary>An edge drawn as an SVG path from the right side of its source to the left side of its target.</summary>
public sealed record PlacedEdge(string From, string To, string Path);

public sealed record DagDrawing(IReadOnlyList<PlacedNode> Nodes, IReadOnlyList<PlacedEdge> Edges, double Width, double Height);

/// <summary>
/// A small layered (Sugiyama-style) layout, left to right: each node's layer is its longest path from a node without
/// dependencies, so every edge points to a later layer; nodes of a layer are ordered by the mean position of their
/// neighbours, swept forwards and backwards a few times, which removes the crossings of common shapes (not all).
/// Enough for the tens of work items a project or plan shows; not a general graph drawer.
/// </summary>
public static class DagLayout
{
    public const double NodeWidth = 170;
    public const double NodeHeight = 58;
    public const double LayerGap = 70;
    public const double RowGap = 22;
    public const double Margin = 12;
    private const int Sweeps = 4;

    public static DagDrawing Lay(IReadOnlyList<string> keys, IReadOnlyList<DagEdge> edges)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(edges);
        var known = keys.ToHashSet(StringComparer.Ordinal);
        // Edges to unknown nodes and self-loops cannot be drawn; duplicates are drawn once.
        var usable = edges.Where(e => known.Contains(e.From) && known.Contains(e.To) && e.From != e.To).Distinct().ToList();
        var layers = Layers(keys, usable);
        var order = Order(keys, usable, layers);
        var placed = new Dictionary<string, PlacedNode>(StringComparer.Ordinal);
        foreach (var (layer, members) in order.Select((members, layer) => (layer, members)))
        {
            for (var row = 0; row < members.Count; row++)
            {
                placed[members[row]] = new PlacedNode(members[row], layer, row,
                    Margin + layer * (NodeWidth + LayerGap), Margin + row * (NodeHeight + RowGap));
            }
        }
        var drawnEdges = usable.Select(e => new PlacedEdge(e.From, e.To, Path(placed[e.From], placed[e.To]))).ToList();
        var columns = Math.Max(order.Count, 1);
        var rows = Math.Max(order.Count == 0 ? 0 : order.Max(l => l.Count), 1);
        return new DagDrawing([.. keys.Select(k => placed[k])], drawnEdges,
            2 * Margin + columns * NodeWidth + (columns - 1) * LayerGap,
            2 * Margin + rows * NodeHeight + (rows - 1) * RowGap);
    }

    /// <summary>
    /// Longest-path layering in topological order (Kahn). Nodes on a cycle (which the server refuses to store) never
    /// become free; they go after the rest, and their edges may then point backwards.
    /// </summary>
    private static Dictionary<string, int> Layers(IReadOnlyList<string> keys, List<DagEdge> edges)
    {
        var incoming = keys.ToDictionary(k => k, _ => 0, StringComparer.Ordinal);
        foreach (var edge in edges)
        {
            incoming[edge.To]++;
        }
        var outgoing = edges.ToLookup(e => e.From, e => e.To, StringComparer.Ordinal);
        var layer = keys.ToDictionary(k => k, _ => 0, StringComparer.Ordinal);
        var free = new Queue<string>(keys.Where(k => incoming[k] == 0));
        var done = new HashSet<string>(StringComparer.Ordinal);
        while (free.Count > 0)
        {
            var node = free.Dequeue();
            done.Add(node);
            foreach (var next in outgoing[node])
            {
                layer[next] = Math.Max(layer[next], layer[node] + 1);
                if (--incoming[next] == 0)
                {
                    free.Enqueue(next);
                }
            }
        }
        var after = done.Count == 0 ? 0 : done.Max(k => layer[k]) + 1;
        foreach (var stuck in keys.Where(k => !done.Contains(k)))
        {
            layer[stuck] = after;
        }
        return layer;
    }

    /// <summary>Each layer's nodes top to bottom: first in the given order, then by the barycentre of their neighbours.</summary>
    private static List<List<string>> Order(IReadOnlyList<string> keys, List<DagEdge> edges, Dictionary<string, int> layers)
    {
        var count = keys.Count == 0 ? 0 : layers.Values.Max() + 1;
        var order = Enumerable.Range(0, count).Select(l => keys.Where(k => layers[k] == l).ToList()).ToList();
        var predecessors = edges.ToLookup(e => e.To, e => e.From, StringComparer.Ordinal);
        var successors = edges.ToLookup(e => e.From, e => e.To, StringComparer.Ordinal);
        for (var sweep = 0; sweep < Sweeps; sweep++)
        {
            var forwards = sweep % 2 == 0;
            var neighbours = forwards ? predecessors : successors;
            var sequence = forwards ? Enumerable.Range(1, Math.Max(count - 1, 0)) : Enumerable.Range(0, Math.Max(count - 1, 0)).Reverse();
            foreach (var l in sequence)
            {
                var position = Positions(order);
                var current = order[l];
                // A node without neighbours on that side keeps its place; a stable sort keeps ties in their order.
                order[l] = [.. current
                    .Select((key, index) => (key, weight: Barycentre(neighbours[key], position) ?? index))
                    .OrderBy(x => x.weight)
                    .Select(x => x.key)];
            }
        }
        return order;
    }

    private static Dictionary<string, int> Positions(List<List<string>> order)
    {
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var layer in order)
        {
            for (var i = 0; i < layer.Count; i++)
            {
                position[layer[i]] = i;
            }
        }
        return position;
    }

    private static double? Barycentre(IEnumerable<string> neighbours, Dictionary<string, int> position)
    {
        var rows = neighbours.Select(n => position[n]).ToList();
        return rows.Count == 0 ? null : rows.Average();
    }

    /// <summary>A cubic curve, horizontal where it leaves and where it arrives (where the arrowhead sits).</summary>
    private static string Path(PlacedNode from, PlacedNode to)
    {
        var x1 = from.X + NodeWidth;
        var y1 = from.Y + NodeHeight / 2;
        var x2 = to.X;
        var y2 = to.Y + NodeHeight / 2;
        var bend = Math.Max(Math.Abs(x2 - x1) / 2, 30);
        return string.Create(CultureInfo.InvariantCulture,
            $"M {x1:0.#} {y1:0.#} C {x1 + bend:0.#} {y1:0.#}, {x2 - bend:0.#} {y2:0.#}, {x2:0.#} {y2:0.#}");
    }
}
