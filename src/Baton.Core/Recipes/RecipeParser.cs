using System.Text;
using Baton.Contracts.Recipes;
using Baton.Core.WorkItems;

namespace Baton.Core.Recipes;

/// <summary>
/// Parses and validates a tool recipe (DESIGN.md section 3), reporting every error with its
/// line and column. Never throws for any input.
/// </summary>
public static class RecipeParser
{
    private static readonly string[] RecipeKeys = ["name", "env", "timeout", "cwd", "shell", "retry", "steps"];
    private static readonly string[] StepKeys = ["name", "run", "env", "timeout", "cwd", "continue_on_error", "retry"];
    private static readonly string[] RetryKeys = ["attempts", "delay"];
    private static readonly string[] RunRetryKeys = ["exit_codes", "attempts", "delay"];
    private static readonly string[] Shells = ["bash", "sh"];

    public static RecipeParseResult Parse(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        if (yaml.Length > RecipeLimits.MaxBytes || Encoding.UTF8.GetByteCount(yaml) > RecipeLimits.MaxBytes)
        {
            return Fail(new RecipeError(RecipeErrorKind.TooLarge, $"a recipe may be at most {RecipeLimits.MaxBytes / 1024} KiB", 1, 1, null));
        }
        if (yaml.IndexOf('\0', StringComparison.Ordinal) is var nul and >= 0)
        {
            // YAML allows only printable characters; storage (PostgreSQL text) cannot hold NUL at all.
            var line = 1 + yaml.AsSpan(0, nul).Count('\n');
            var column = nul - (yaml.LastIndexOf('\n', Math.Max(0, nul - 1)) + 1) + 1;
            return Fail(new RecipeError(RecipeErrorKind.Syntax, "a recipe may not contain NUL (\\0) characters", line, column, null));
        }
        var errors = new List<RecipeError>();
        var root = YamlTree.Read(yaml, errors);
        if (errors.Count > 0)
        {
            return Fail(errors);
        }
        if (root is null or YamlScalar { IsNull: true })
        {
            return Fail(new RecipeError(RecipeErrorKind.MissingKey, "the recipe is empty; it needs at least 'steps'", 1, 1, "steps"));
        }
        if (root is not YamlMapping mapping)
        {
            return Fail(new RecipeError(RecipeErrorKind.InvalidValue, $"a recipe is a mapping with keys {string.Join(", ", RecipeKeys)}",
                root.Start.Line, root.Start.Column, null));
        }
        var recipe = new RecipeReader(errors).Recipe(mapping);
        return errors.Count > 0 ? Fail(errors) : new RecipeParseResult(recipe, errors);
    }

    private static RecipeParseResult Fail(RecipeError error) => new(null, [error]);

    /// <summary>Every error in the file's order, whatever order they were found in: "the first error" is the first one in the text.</summary>
    private static RecipeParseResult Fail(List<RecipeError> errors) => new(null, [.. errors.OrderBy(e => e.Line).ThenBy(e => e.Column)]);

    /// <summary>Walks the tree once, collecting errors as it goes.</summary>
    private sealed class RecipeReader(List<RecipeError> errors)
    {
        private readonly NodeReader _read = new(errors);

        public RecipeSpec Recipe(YamlMapping mapping)
        {
            var keys = _read.Keys(mapping, null, RecipeKeys, "recipe");
            var cwd = keys.TryGetValue("cwd", out var cwdNode) ? _read.Cwd(cwdNode, "cwd", ".") ?? "." : ".";
            var shell = RecipeSpec.DefaultShell;
            if (keys.TryGetValue("shell", out var shellNode) && _read.Text(shellNode, "shell") is { } shellText)
            {
                if (Shells.Contains(shellText))
                {
                    shell = shellText;
                }
                else
                {
                    _read.Error(RecipeErrorKind.InvalidValue, shellNode, "shell", $"shell must be one of {string.Join(", ", Shells)} (got '{shellText}')");
                }
            }
            var steps = new List<RecipeStep>();
            if (!keys.TryGetValue("steps", out var stepsNode) || stepsNode is YamlScalar { IsNull: true })
            {
                _read.Error(RecipeErrorKind.MissingKey, mapping, "steps", "missing key 'steps': a recipe needs at least one step");
            }
            else if (stepsNode is not YamlSequence { Items.Count: > 0 } sequence)
            {
                _read.Error(RecipeErrorKind.InvalidValue, stepsNode, "steps", "'steps' must be a non-empty list of steps");
            }
            else if (sequence.Items.Count > RecipeLimits.MaxSteps)
            {
                _read.Error(RecipeErrorKind.InvalidValue, stepsNode, "steps", $"at most {RecipeLimits.MaxSteps} steps");
            }
            else
            {
                steps = Steps(sequence, cwd);
            }
            return new RecipeSpec
            {
                Name = keys.TryGetValue("name", out var name) ? _read.Name(name, "name") : null,
                Env = keys.TryGetValue("env", out var env) ? _read.Env(env, "env") : new Dictionary<string, string>(),
                Timeout = keys.TryGetValue("timeout", out var timeout) ? _read.Timeout(timeout, "timeout") : null,
                Cwd = cwd,
                Shell = shell,
                Retry = keys.TryGetValue("retry", out var retry) ? RunRetry(retry, "retry") : null,
                Steps = steps,
            };
        }

        /// <summary><c>retry: { exit_codes: [75], attempts: 2, delay: 30s }</c> at the top: the scheduler's retry of the whole run.</summary>
        private RunRetryPolicy? RunRetry(YamlNode node, string path)
        {
            if (node is not YamlMapping mapping)
            {
                _read.Error(RecipeErrorKind.InvalidValue, node, path, $"{path} must be a mapping like {{ exit_codes: [75], attempts: 2, delay: 30s }}");
                return null;
            }
            var keys = _read.Keys(mapping, path, RunRetryKeys, "retry");
            var codes = new List<int>();
            if (!keys.TryGetValue("exit_codes", out var codesNode))
            {
                _read.Error(RecipeErrorKind.MissingKey, mapping, $"{path}.exit_codes", $"missing key 'exit_codes' in {path}: the exit codes worth another try");
            }
            else if (codesNode is not YamlSequence { Items.Count: > 0 and <= RetryRule.MaxExitCodes } sequence)
            {
                _read.Error(RecipeErrorKind.InvalidValue, codesNode, $"{path}.exit_codes", $"{path}.exit_codes must be a list of 1 to {RetryRule.MaxExitCodes} exit codes");
            }
            else
            {
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    if (_read.Int(sequence.Items[i], $"{path}.exit_codes[{i}]", 1, 255) is { } code && !codes.Contains(code))
                    {
                        codes.Add(code);
                    }
                }
            }
            int? attempts = null;
            if (!keys.TryGetValue("attempts", out var attemptsNode))
            {
                _read.Error(RecipeErrorKind.MissingKey, mapping, $"{path}.attempts", $"missing key 'attempts' in {path}");
            }
            else
            {
                attempts = _read.Int(attemptsNode, $"{path}.attempts", 1, RetryRule.MaxAttempts);
            }
            var delay = keys.TryGetValue("delay", out var delayNode) ? _read.Duration(delayNode, $"{path}.delay", allowZero: true) : TimeSpan.Zero;
            if (delay > RetryRule.MaxDelay)
            {
                _read.Error(RecipeErrorKind.InvalidDuration, delayNode!, $"{path}.delay", $"{path}.delay must be at most {Durations.Format(RetryRule.MaxDelay)}");
                delay = null;
            }
            return codes.Count > 0 && attempts is { } count && delay is { } wait ? new RunRetryPolicy(codes, count, wait) : null;
        }

        private List<RecipeStep> Steps(YamlSequence sequence, string recipeCwd)
        {
            var steps = new List<RecipeStep>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var index = 0; index < sequence.Items.Count; index++)
            {
                var path = $"steps[{index}]";
                if (sequence.Items[index] is not YamlMapping step)
                {
                    _read.Error(RecipeErrorKind.InvalidValue, sequence.Items[index], path, $"{path} must be a mapping with keys {string.Join(", ", StepKeys)}");
                    continue;
                }
                var keys = _read.Keys(step, path, StepKeys, "step");
                var name = (keys.TryGetValue("name", out var nameNode) ? _read.Name(nameNode, $"{path}.name") : null) ?? $"step-{index + 1}";
                if (!names.Add(name))
                {
                    _read.Error(RecipeErrorKind.DuplicateKey, nameNode ?? step, $"{path}.name", $"step name '{name}' is used twice; step names must be unique");
                }
                string? run = null;
                if (!keys.TryGetValue("run", out var runNode) || runNode is YamlScalar { IsNull: true })
                {
                    _read.Error(RecipeErrorKind.MissingKey, step, $"{path}.run", $"missing key 'run' in {path}: the command to execute");
                }
                else if (_read.Text(runNode, $"{path}.run") is { } text)
                {
                    if (string.IsNullOrWhiteSpace(text))
                    {
                        _read.Error(RecipeErrorKind.InvalidValue, runNode, $"{path}.run", $"{path}.run must not be blank");
                    }
                    run = text;
                }
                steps.Add(new RecipeStep
                {
                    Name = name,
                    Run = run ?? "",
                    Env = keys.TryGetValue("env", out var env) ? _read.Env(env, $"{path}.env") : new Dictionary<string, string>(),
                    Timeout = keys.TryGetValue("timeout", out var timeout) ? _read.Timeout(timeout, $"{path}.timeout") : null,
                    Cwd = keys.TryGetValue("cwd", out var cwd) ? _read.Cwd(cwd, $"{path}.cwd", recipeCwd) : null,
                    ContinueOnError = keys.TryGetValue("continue_on_error", out var continueNode) && _read.Bool(continueNode, $"{path}.continue_on_error") == true,
                    Retry = keys.TryGetValue("retry", out var retry) ? Retry(retry, $"{path}.retry") : null,
                });
            }
            return steps;
        }

        private RetryPolicy? Retry(YamlNode node, string path)
        {
            if (node is not YamlMapping mapping)
            {
                _read.Error(RecipeErrorKind.InvalidValue, node, path, $"{path} must be a mapping like {{ attempts: 2, delay: 5s }}");
                return null;
            }
            var keys = _read.Keys(mapping, path, RetryKeys, "retry");
            if (!keys.TryGetValue("attempts", out var attemptsNode))
            {
                _read.Error(RecipeErrorKind.MissingKey, mapping, $"{path}.attempts", $"missing key 'attempts' in {path}");
                return null;
            }
            var attempts = _read.Int(attemptsNode, $"{path}.attempts", 1, RecipeLimits.MaxRetryAttempts);
            var delay = keys.TryGetValue("delay", out var delayNode) ? _read.Duration(delayNode, $"{path}.delay", allowZero: true) : TimeSpan.Zero;
            return attempts is { } count && delay is { } wait ? new RetryPolicy(count, wait) : null;
        }
    }
}
