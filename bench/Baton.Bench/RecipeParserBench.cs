using System.Diagnostics;
using System.Globalization;
using System.Text;
using Baton.Core.Recipes;

namespace Baton.Bench;

/// <summary>
/// Time of RecipeParser.Parse, in process, for valid and hostile documents: the parser must
/// answer any input "well under 100 ms" (issue 2). Median, p95 and max of 200 runs each.
/// </summary>
internal static class RecipeParserBench
{
    private const int Iterations = 200;

    public static int Run()
    {
        Console.WriteLine($"{"case",-22} {"bytes",10} {"median ms",10} {"p95 ms",8} {"max ms",8}  result");
        foreach (var (name, yaml) in Cases())
        {
            for (var i = 0; i < 10; i++)
            {
                RecipeParser.Parse(yaml);
            }
            var times = new double[Iterations];
            RecipeParseResult? result = null;
            for (var i = 0; i < Iterations; i++)
            {
                var started = Stopwatch.GetTimestamp();
                result = RecipeParser.Parse(yaml);
                times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
            Array.Sort(times);
            var outcome = result!.IsValid ? "valid" : result.Errors[0].Kind.ToString();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-22} {Encoding.UTF8.GetByteCount(yaml),10} {times[Iterations / 2],10:0.000} {times[(int)(Iterations * 0.95)],8:0.000} {times[^1],8:0.000}  {outcome}"));
        }
        return 0;
    }

    private static IEnumerable<(string Name, string Yaml)> Cases()
    {
        yield return ("design-example", "name: build-and-test\nenv: { DOTNET_NOLOGO: \"1\" }\ntimeout: 15m\ncwd: .\nshell: bash\nsteps:\n  - name: restore\n    run: dotnet restore\n    env: { CONFIGURATION: Release }\n    timeout: 5m\n    cwd: src\n    continue_on_error: false\n    retry: { attempts: 2, delay: 2s }\n");
        var laughs = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var i = 0; i < 8; i++)
        {
            laughs.Append(CultureInfo.InvariantCulture, $"{(char)('b' + i)}: &{(char)('b' + i)} [{string.Join(",", Enumerable.Repeat($"*{(char)('a' + i)}", 9))}]\n");
        }
        yield return ("billion-laughs", laughs.ToString());
        yield return ("deep-flow-10000", "steps: " + new string('[', 10_000) + new string(']', 10_000));
        yield return ("deep-mapping-10000", string.Concat(Enumerable.Repeat("{a: ", 10_000)) + "1" + new string('}', 10_000));
        yield return ("deep-block-400", string.Concat(Enumerable.Range(0, 400).Select(i => new string(' ', i) + "a:\n")));
        var step = "  - run: echo " + new string('x', 600) + "\n";
        yield return ("max-size-valid", "steps:\n" + string.Concat(Enumerable.Repeat(step, (RecipeLimits.MaxBytes - 100) / step.Length)));
        yield return ("oversize-10MB", "# " + new string('x', 10 * 1024 * 1024));
    }
}
