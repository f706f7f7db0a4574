using Baton.Core.WorkItems;

namespace Baton.Core.Tests.WorkItems;

public sealed class DependencyGraphTests
{
    private static Dictionary<int, IReadOnlyCollection<int>> Edges(params (int From, int To)[] edges) =>
        edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => (IReadOnlyCollection<int>)g.Select(e => e.To).ToList());

    [Fact]
    public void FindCycle_ReturnsNull_ForADiamond()
    {
        var graph = Edges((2, 1), (3, 1));

        Assert.Null(DependencyGraph.FindCycle(4, [2, 3], graph));
    }

    [Fact]
    public void FindCycle_ReturnsTheSelfLoop()
    {
        Assert.Equal([7, 7], DependencyGraph.FindCycle(7, [7], Edges()));
    }

    [Fact]
    public void FindCycle_ReturnsThePath_StartingAndEndingAtTheNode()
    {
        // 2 depends on 3, 3 depends on 1: making 1 depend on 2 closes 1 -> 2 -> 3 -> 1.
        var graph = Edges((2, 3), (3, 1));

        Assert.Equal([1, 2, 3, 1], DependencyGraph.FindCycle(1, [2], graph));
    }

    [Fact]
    public void FindCycle_WalksAVeryLongChain_WithoutOverflowingTheStack()
    {
        var graph = Enumerable.Range(2, 99_999).ToDictionary(n => n, n => (IReadOnlyCollection<int>)[n - 1]);

        var cycle = DependencyGraph.FindCycle(1, [100_000], graph);

        Assert.NotNull(cycle);
        Assert.Equal(100_001, cycle.Count);
        Assert.Equal(1, cycle[0]);
        Assert.Equal(1, cycle[^1]);
    }
}
