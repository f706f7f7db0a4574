using System.Text.RegularExpressions;

namespace Baton.Agent;

/// <summary>
/// How an agent reaches its server and what work it takes (DESIGN.md section 9:
/// <c>baton agent --server URL --token T --labels a,b --capacity N --work-dir DIR</c>).
/// </summary>
public sealed partial record AgentOptions
{
    public const string Section = "Agent";
    public const int MaxCapacity = Contracts.Agents.RegisterAgentRequest.MaxCapacity;

    public required Uri Server { get; init; }
    public required string Token { get; init; }
    public IReadOnlyList<string> Labels { get; init; } = [];
    /// <summary>Runs executed at the same time.</summary>
    public int Capacity { get; init; } = 1;
    /// <summary>Where each run gets its workspace directory.</summary>
    public string WorkDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "baton-agent");
    /// <summary>The agent's name on the server; registering again under the same name is the same agent.</summary>
    public string Name { get; init; } = Environment.MachineName;
    /// <summary>On shutdown, how long running runs may go on before they are cancelled.</summary>
    public TimeSpan DrainGrace { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>How long a log batch the server keeps refusing (500, or a 4xx) is retried before its run is failed.</summary>
    public TimeSpan LogRefusalBudget { get; init; } = Logs.LogShipper.RefusalBudget;

    /// <summary>Reads comma-separated labels ("linux, gpu,,x64"), trimmed, without blanks or repeats.</summary>
    public static IReadOnlyList<string> ParseLabels(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Every problem with these settings, each naming its option.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Server.IsAbsoluteUri || Server.Scheme is not ("http" or "https"))
        {
            problems.Add($"--server must be an http(s) URL (got '{Server}')");
        }
        if (string.IsNullOrWhiteSpace(Token))
        {
            problems.Add("--token is required (an agent token from POST /api/tokens with role 'agent')");
        }
        if (Capacity is < 1 or > MaxCapacity)
        {
            problems.Add($"--capacity must be between 1 and {MaxCapacity} (got {Capacity})");
        }
        problems.AddRange(Labels.Where(label => !LabelPattern().IsMatch(label)).Select(label => $"--labels: '{label}' is not a label"));
        if (string.IsNullOrWhiteSpace(WorkDirectory))
        {
            problems.Add("--work-dir must not be empty");
        }
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 200)
        {
            problems.Add("--name must be 1 to 200 characters");
        }
        if (DrainGrace < TimeSpan.Zero)
        {
            problems.Add($"the drain grace must not be negative (got {DrainGrace})");
        }
        return problems;
    }

    // Same rule as the server's labels, so an agent cannot advertise a label no work item can name.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();
}
