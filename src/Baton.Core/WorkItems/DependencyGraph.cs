namespace Baton.Core.WorkItems;

/// <summary>
/// Cycle checks for the work-item DAG, done at write time so a cycle never reaches storage.
/// Iterative (explicit stack) so a long chain cannot overflow the call stack.
/// </summary>
public static class DependencyGraph
{
    /// <summary>
    /// Finds the cycle that giving <paramref name="node"/> the dependencies
    /// <paramref name="newDependencies"/> would close, given the other nodes' edges.
    /// Returns the cycle as a path that starts and ends at <paramref name="node"/>, or null.
    /// </summary>
    public static IReadOnlyList<T>? FindCycle<T>(
        T node,
        IEnumerable<T> newDependencies,
        IReadOnlyDictionary<T, IReadOnlyCollection<T>> existingEdges)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(newDependencies);
        ArgumentNullException.ThrowIfNull(existingEdges);
        var comparer = EqualityComparer<T>.Default;
        // Depth-first from the node itself; reaching it again closes a cycle.
        var parent = new Dictionary<T, T>();
        var visited = new HashSet<T>();
        var stack = new Stack<T>();
        foreach (var dependency in newDependencies)
        {
            if (comparer.Equals(dependency, node))
            {
                return [node, node];
            }
            if (visited.Add(dependency))
            {
                parent[dependency] = node;
                stack.Push(dependency);
            }
        }
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (!existingEdges.TryGetValue(current, out var next))
            {
                continue;
            }
            foreach (var dependency in next)
            {
                if (comparer.Equals(dependency, node))
                {
                    return BuildPath(node, current, parent);
                }
                if (visited.Add(dependency))
                {
                    parent[dependency] = current;
                    stack.Push(dependency);
                }
            }
        }
        return null;
    }

    private static List<T> BuildPath<T>(T node, T last, Dictionary<T, T> parent) where T : notnull
    {
        var reversed = new List<T> { node, last };
        var current = last;
        while (!EqualityComparer<T>.Default.Equals(current, node))
        {
            current = parent[current];
            reversed.Add(current);
        }
        reversed.Reverse();
        return reversed;
    }
}
