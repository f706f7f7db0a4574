namespace Baton.Chaos.Cluster;

/// <summary>The `baton agent` processes, all talking to the front; a killed one is replaced by a new agent under a new name.</summary>
public sealed class Agents(string batonDll, string front, string token, int capacity, string directory) : IDisposable
{
    public const string Label = "chaos";
    private readonly List<KillableProcess> _running = [];
    private int _started;

    public IReadOnlyList<string> Names => [.. _running.Select(agent => agent.Name)];

    public void Start(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var name = $"agent-{++_started}";
            var workDir = Path.Combine(directory, name);
            _running.Add(KillableProcess.Start(batonDll, name,
                $"agent --server {front} --token {token} --labels {Label} --capacity {capacity} --work-dir \"{workDir}\" --name {name}",
                new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" }, directory));
        }
    }

    /// <summary>Kills the agent of that name (kill -9).</summary>
    public async Task KillAsync(string name)
    {
        var agent = _running.Single(running => running.Name == name);
        _running.Remove(agent);
        await agent.KillAsync();
        agent.Dispose();
    }

    public int Count => _running.Count;

    public void Dispose()
    {
        foreach (var agent in _running)
        {
            agent.Dispose();
        }
    }
}
