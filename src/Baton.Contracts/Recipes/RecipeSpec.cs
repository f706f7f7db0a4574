namespace Baton.Contracts.Recipes;

/// <summary>
/// The parsed form of a tool recipe: what the server stores beside the YAML as written,
/// what the API answers as JSON, and what an agent executes.
/// </summary>
public sealed record RecipeSpec
{
    /// <summary>Default shell; a step's <c>run</c> text is passed to <c>bash -e -o pipefail -c</c>.</summary>
    public const string DefaultShell = "bash";

    public string? Name { get; init; }
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    /// <summary>Time limit for the whole run; null means the server's default.</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>Working directory relative to the run's workspace ("." when not given).</summary>
    public string Cwd { get; init; } = ".";
    public string Shell { get; init; } = DefaultShell;
    /// <summary>When a scheduled run of this recipe fails with one of these exit codes, the scheduler runs it again.</summary>
    public RunRetryPolicy? Retry { get; init; }
    public required IReadOnlyList<RecipeStep> Steps { get; init; }
}

/// <summary>
/// The whole run is tried again, as a new run, when it fails with one of <c>ExitCodes</c>: at most
/// <c>Attempts</c> more times, each <c>Delay</c> after the failure (the scheduler's retry; a step's own
/// <see cref="RetryPolicy"/> retries that step inside the run).
/// </summary>
public sealed record RunRetryPolicy(IReadOnlyList<int> ExitCodes, int Attempts, TimeSpan Delay);

/// <summary>One step of a recipe: a command line run as a real process.</summary>
public sealed record RecipeStep
{
    public required string Name { get; init; }
    public required string Run { get; init; }
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    public TimeSpan? Timeout { get; init; }
    /// <summary>Relative to the workspace, already combined with the recipe's cwd; null means the recipe's cwd.</summary>
    public string? Cwd { get; init; }
    public bool ContinueOnError { get; init; }
    public RetryPolicy? Retry { get; init; }
}

/// <summary>
/// A failed or timed-out step is tried again up to <c>Attempts</c> more times (so it runs at most
/// 1 + Attempts times), waiting <c>Delay</c> before each new try. Cancellation is never retried.
/// </summary>
public sealed record RetryPolicy(int Attempts, TimeSpan Delay);
