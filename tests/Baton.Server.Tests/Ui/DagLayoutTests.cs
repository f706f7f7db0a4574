using Baton.Server.Ui.Common;

namespace Baton.Server.Tests.Ui;

public sealed class DagLayoutTests
{
    private static DagEdge E(string from, string to) => new(from, to);

    private static Dictionary<string, PlacedNode> ByKey(DagDrawing drawing) => drawing.Nodes.ToDictionary(n => n.Key);

    [Fact]
    public void EveryEdge_GoesFromALowerToAHigherLayer()
    {
        string[] keys = ["WI-5", "WI-4", "WI-3", "WI-2", "WI-1"];
        DagEdge[] edges = [E("WI-1", "WI-2"), E("WI-2", "WI-3"), E("WI-1", "WI-3"), E("WI-3", "WI-5"), E("WI-4", "WI-5"), E("WI-1", "WI-4")];

        var nodes = ByKey(DagLayout.Lay(keys, edges));

        Assert.All(edges, e => Assert.True(nodes[e.From].Layer < nodes[e.To].Layer, $"{e.From} -> {e.To}"));
        // Longest path: WI-3 is after WI-2 even though WI-1 points at it directly.
        Assert.Equal((0, 1, 2, 3), (nodes["WI-1"].Layer, nodes["WI-2"].Layer, nodes["WI-3"].Layer, nodes["WI-5"].Layer));
    }

    [Fact]
    public void ADiamond_HasOneSourceAndSinkOnTheirOwnLayers_AndTheMiddleTwoSideBySide()
    {
        var drawing = DagLayout.Lay(["A", "B", "C", "D"], [E("A", "B"), E("A", "C"), E("B", "D"), E("C", "D")]);
        var nodes = ByKey(drawing);

        Assert.Equal((0, 1, 1, 2), (nodes["A"].Layer, nodes["B"].Layer, nodes["C"].Layer, nodes["D"].Layer));
        Assert.Equal(nodes["B"].X, nodes["C"].X);
        Assert.NotEqual(nodes["B"].Y, nodes["C"].Y);
        Assert.True(nodes["A"].X < nodes["B"].X && nodes["B"].X < nodes["D"].X);
        Assert.Equal(4, drawing.Edges.Count);
        Assert.All(drawing.Edges, e => Assert.StartsWith("M ", e.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void NoTwoNodes_Overlap_AndAllFitInTheDrawing()
    {
        var keys = Enumerable.Range(1, 12).Select(i => $"WI-{i}").ToList();
        var edges = keys.Skip(1).Select((k, i) => E(keys[i / 3], k)).ToList();

        var drawing = DagLayout.Lay(keys, edges);

        foreach (var a in drawing.Nodes)
        {
            Assert.True(a.X >= 0 && a.Y >= 0 && a.X + DagLayout.NodeWidth <= drawing.Width && a.Y + DagLayout.NodeHeight <= drawing.Height, a.Key);
            foreach (var b in drawing.Nodes.Where(b => b.Key != a.Key))
            {
                var apart = a.X + DagLayout.NodeWidth <= b.X || b.X + DagLayout.NodeWidth <= a.X
                    || a.Y + DagLayout.NodeHeight <= b.Y || b.Y + DagLayout.NodeHeight <= a.Y;
                Assert.True(apart, $"{a.Key} overlaps {b.Key}");
            }
        }
    }

    [Fact]
    public void Ordering_UncrossesTwoParallelChains()
    {
        // Given in an order that crosses: A1 above B1, but B2 above A2.
        var nodes = ByKey(DagLayout.Lay(["A1", "B1", "B2", "A2"], [E("A1", "A2"), E("B1", "B2")]));

        Assert.Equal(nodes["A1"].Order, nodes["A2"].Order);
        Assert.Equal(nodes["B1"].Order, nodes["B2"].Order);
    }

    [Fact]
    public void UnknownNodes_SelfLoops_AndDuplicates_AreNotDrawn_AndACycleStillLaysOut()
    {
        var drawing = DagLayout.Lay(["A", "B", "C"], [E("A", "B"), E("A", "B"), E("A", "A"), E("A", "Z"), E("B", "C"), E("C", "B")]);

        Assert.Equal(3, drawing.Nodes.Count);
        Assert.Equal(["A->B", "B->C", "C->B"], drawing.Edges.Select(e => $"{e.From}->{e.To}"));
    }

    [Fact]
    public void AnEmptyGraph_IsAnEmptyDrawing()
    {
        var drawing = DagLayout.Lay([], []);

        Assert.Empty(drawing.Nodes);
        Assert.True(drawing.Width > 0 && drawing.Height > 0);
    }
}
