using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Baton.Chaos.Checking;

namespace Baton.Chaos.Workload;

/// <summary>
/// The recipes the chaos client sends, and how to read back what they wrote. Every recipe is named
/// after its request (so a stored run whose acknowledgement was lost is still recognised), and every
/// line a multi-step run prints carries the attempt that printed it, its step and its place: the
/// checker can tell a fenced attempt's late line and a missing line from the text alone.
/// </summary>
public static partial class Recipes
{
    public const int Steps = 3;
    public const int LinesPerStep = 5;
    private const string NamePrefix = "chaos-";

    public static string For(RequestKind kind, int request) => kind switch
    {
        RequestKind.OneStep => $"name: {NamePrefix}{request}\nsteps:\n  - name: only\n    run: \"true\"\n",
        RequestKind.MultiStep => MultiStep(request),
        _ => PlanItem,
    };

    /// <summary>What a plan's work items run: one short step.</summary>
    public const string PlanItem = "steps:\n  - name: item\n    run: \"true\"\n";

    private static string MultiStep(int request)
    {
        var yaml = new StringBuilder().Append(CultureInfo.InvariantCulture, $"name: {NamePrefix}{request}\nsteps:\n");
        for (var step = 1; step <= Steps; step++)
        {
            // The middle step takes a moment after its lines, so a killed agent is often caught in the middle of a run.
            var pause = step == 2 ? "; sleep 0.5" : "";
            yaml.Append(CultureInfo.InvariantCulture,
                $"  - name: s{step}\n    run: for i in $(seq 1 {LinesPerStep}); do echo \"chaos attempt=$BATON_RUN_ATTEMPT step={step} line=$i\"; done{pause}\n");
        }
        return yaml.ToString();
    }

    /// <summary>The request a stored recipe was sent for (its name), or null for a recipe not sent by a request (plan items).</summary>
    public static int? RequestOf(string recipeYaml)
    {
        var match = NameLine().Match(recipeYaml);
        return match.Success ? int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>The attempt a multi-step line says printed it.</summary>
    public static int? AttemptOf(string text)
    {
        var match = OutputLine().Match(text);
        return match.Success ? int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>The attempt a reaper's line says it fenced off ("lease expired on agent-3 during attempt 2 of 10; …").</summary>
    public static int? FencedAttemptOf(string text)
    {
        var match = FenceLine().Match(text);
        return match.Success ? int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>The lines a successful attempt of a multi-step run must have left, in order.</summary>
    public static IEnumerable<string> ExpectedLines(int attempt)
    {
        for (var step = 1; step <= Steps; step++)
        {
            for (var line = 1; line <= LinesPerStep; line++)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"chaos attempt={attempt} step={step} line={line}");
            }
        }
    }

    [GeneratedRegex(@"^name: chaos-(\d+)$", RegexOptions.Multiline)]
    private static partial Regex NameLine();

    [GeneratedRegex(@"^chaos attempt=(\d+) step=\d+ line=\d+$")]
    private static partial Regex OutputLine();

    [GeneratedRegex(@"^lease expired on .+ during attempt (\d+) of \d+;")]
    private static partial Regex FenceLine();
}
