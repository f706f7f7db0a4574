using Baton.Core.Recipes;

namespace Baton.Core.Tests.Recipes;

public sealed class RecipeParserTests
{
    private const string FullExample = """
        name: build-and-test
        env: { DOTNET_NOLOGO: "1" }     # recipe-wide
        timeout: 15m                     # whole run
        cwd: .                           # relative to the run's workspace
        shell: bash
        steps:
          - name: restore
            run: dotnet restore
            env: { CONFIGURATION: Release }
            timeout: 5m
            cwd: src
            continue_on_error: false
            retry: { attempts: 2, delay: 2s }
        """;

    [Fact]
    public void Parse_ReadsTheFullExample()
    {
        var result = RecipeParser.Parse(FullExample);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var recipe = result.Recipe!;
        Assert.Equal("build-and-test", recipe.Name);
        Assert.Equal("1", recipe.Env["DOTNET_NOLOGO"]);
        Assert.Equal(TimeSpan.FromMinutes(15), recipe.Timeout);
        Assert.Equal(".", recipe.Cwd);
        Assert.Equal("bash", recipe.Shell);
        var step = Assert.Single(recipe.Steps);
        Assert.Equal("restore", step.Name);
        Assert.Equal("dotnet restore", step.Run);
        Assert.Equal("Release", step.Env["CONFIGURATION"]);
        Assert.Equal(TimeSpan.FromMinutes(5), step.Timeout);
        Assert.Equal("src", step.Cwd);
        Assert.False(step.ContinueOnError);
        Assert.Equal(new Contracts.Recipes.RetryPolicy(2, TimeSpan.FromSeconds(2)), step.Retry);
    }

    [Fact]
    public void Parse_GivesDefaults_ForAMinimalRecipe()
    {
        var result = RecipeParser.Parse("steps:\n  - run: make\n  - run: make test\n");

        Assert.True(result.IsValid);
        Assert.Equal(["step-1", "step-2"], result.Recipe!.Steps.Select(s => s.Name));
        Assert.Equal("bash", result.Recipe.Shell);
        Assert.Equal(".", result.Recipe.Cwd);
        Assert.Null(result.Recipe.Timeout);
        Assert.Null(result.Recipe.Steps[0].Cwd);
    }

    [Fact]
    public void Parse_KeepsBlockScalarRunText_AndTurnsScalarEnvValuesIntoText()
    {
        var result = RecipeParser.Parse("env:\n  N: 3\n  B: true\n  E:\nsteps:\n  - run: |\n      echo one\n      echo two\n");

        Assert.True(result.IsValid);
        Assert.Equal("echo one\necho two\n", result.Recipe!.Steps[0].Run);
        Assert.Equal("3", result.Recipe.Env["N"]);
        Assert.Equal("true", result.Recipe.Env["B"]);
        Assert.Equal("", result.Recipe.Env["E"]);
    }

    [Fact]
    public void Parse_ReadsTheRunRetryRule_WithoutDuplicateExitCodes()
    {
        var result = RecipeParser.Parse("retry:\n  exit_codes: [75, 137, 75]\n  attempts: 3\n  delay: 90s\nsteps:\n  - run: a\n");

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var retry = result.Recipe!.Retry!;
        Assert.Equal([75, 137], retry.ExitCodes);
        Assert.Equal((3, TimeSpan.FromSeconds(90)), (retry.Attempts, retry.Delay));
        Assert.Null(RecipeParser.Parse("steps:\n  - run: a\n").Recipe!.Retry);
    }

    [Fact]
    public void Parse_NormalisesCwd_AndCombinesStepCwdWithTheRecipeCwd()
    {
        var result = RecipeParser.Parse("cwd: ./src/\nsteps:\n  - run: a\n    cwd: ../tests\n  - run: b\n    cwd: api/./v1\n");

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal("src", result.Recipe!.Cwd);
        Assert.Equal("tests", result.Recipe.Steps[0].Cwd);
        Assert.Equal("src/api/v1", result.Recipe.Steps[1].Cwd);
    }

    [Theory]
    [InlineData("stpes:\n  - run: a\n", RecipeErrorKind.UnknownKey, 1, 1, "stpes")]
    [InlineData("steps:\n  - run: a\n    colour: red\n", RecipeErrorKind.UnknownKey, 3, 5, "steps[0].colour")]
    [InlineData("name: x\n", RecipeErrorKind.MissingKey, 1, 1, "steps")]
    [InlineData("steps:\n  - name: a\n", RecipeErrorKind.MissingKey, 2, 5, "steps[0].run")]
    [InlineData("steps:\n  - run: a\nsteps:\n  - run: b\n", RecipeErrorKind.DuplicateKey, 3, 1, "steps")]
    [InlineData("steps:\n  - name: a\n    run: x\n  - name: a\n    run: y\n", RecipeErrorKind.DuplicateKey, 4, 11, "steps[1].name")]
    [InlineData("shell: zsh\nsteps:\n  - run: a\n", RecipeErrorKind.InvalidValue, 1, 8, "shell")]
    [InlineData("steps:\n  - run: a\n    retry: { attempts: 11 }\n", RecipeErrorKind.InvalidValue, 3, 24, "steps[0].retry.attempts")]
    [InlineData("env: { A: [1, 2] }\nsteps:\n  - run: a\n", RecipeErrorKind.InvalidValue, 1, 11, "env.A")]
    [InlineData("retry: { attempts: 2 }\nsteps:\n  - run: a\n", RecipeErrorKind.MissingKey, 1, 8, "retry.exit_codes")]
    [InlineData("retry: { exit_codes: [1, 256], attempts: 2 }\nsteps:\n  - run: a\n", RecipeErrorKind.InvalidValue, 1, 26, "retry.exit_codes[1]")]
    [InlineData("retry: { exit_codes: [], attempts: 2 }\nsteps:\n  - run: a\n", RecipeErrorKind.InvalidValue, 1, 22, "retry.exit_codes")]
    [InlineData("retry: { exit_codes: [75] }\nsteps:\n  - run: a\n", RecipeErrorKind.MissingKey, 1, 8, "retry.attempts")]
    [InlineData("retry: { exit_codes: [75], attempts: 2, delay: 2d }\nsteps:\n  - run: a\n", RecipeErrorKind.InvalidDuration, 1, 48, "retry.delay")]
    [InlineData("retry: { exit_codes: [75], attempts: 2, on: fail }\nsteps:\n  - run: a\n", RecipeErrorKind.UnknownKey, 1, 41, "retry.on")]
    [InlineData("steps:\n  - run: a\n    timeout: 5 minutes\n", RecipeErrorKind.InvalidDuration, 3, 14, "steps[0].timeout")]
    [InlineData("timeout: 0s\nsteps:\n  - run: a\n", RecipeErrorKind.InvalidDuration, 1, 10, "timeout")]
    [InlineData("timeout: 73h\nsteps:\n  - run: a\n", RecipeErrorKind.InvalidDuration, 1, 10, "timeout")]
    [InlineData("cwd: ../x\nsteps:\n  - run: a\n", RecipeErrorKind.CwdEscapesWorkspace, 1, 6, "cwd")]
    [InlineData("cwd: /etc\nsteps:\n  - run: a\n", RecipeErrorKind.CwdEscapesWorkspace, 1, 6, "cwd")]
    [InlineData("cwd: src\nsteps:\n  - run: a\n    cwd: ../../x\n", RecipeErrorKind.CwdEscapesWorkspace, 4, 10, "steps[0].cwd")]
    [InlineData("env: { LD_PRELOAD: /tmp/x.so }\nsteps:\n  - run: a\n", RecipeErrorKind.ForbiddenEnv, 1, 8, "env.LD_PRELOAD")]
    [InlineData("steps:\n  - run: a\n    env: { baton_token: x }\n", RecipeErrorKind.ForbiddenEnv, 3, 12, "steps[0].env.baton_token")]
    [InlineData("steps: [\n  - run: a\n", RecipeErrorKind.Syntax, 2, 3, null)]
    public void Parse_ReportsTheError_WithItsLineAndColumn(string yaml, RecipeErrorKind kind, int line, int column, string? path)
    {
        var result = RecipeParser.Parse(yaml);

        Assert.False(result.IsValid);
        Assert.Null(result.Recipe);
        var error = Assert.Single(result.Errors, e => e.Kind == kind);
        Assert.Equal((line, column, path), (error.Line, error.Column, error.Path));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Parse_ReportsEveryError_NotJustTheFirst()
    {
        var result = RecipeParser.Parse("timeout: soon\nshell: fish\nsteps:\n  - run: a\n    bogus: 1\n  - name: b\n");

        Assert.Equal(
            [RecipeErrorKind.UnknownKey, RecipeErrorKind.MissingKey, RecipeErrorKind.InvalidValue, RecipeErrorKind.InvalidDuration],
            result.Errors.Select(e => e.Kind).Order());
        Assert.Equal([1, 2, 5, 6], result.Errors.Select(e => e.Line).Order());
    }

    [Fact]
    public void Parse_NamesTheAllowedKeys_InAnUnknownKeyError()
    {
        var error = Assert.Single(RecipeParser.Parse("stpes: []\n").Errors, e => e.Kind == RecipeErrorKind.UnknownKey);

        Assert.Contains("'stpes'", error.Message, StringComparison.Ordinal);
        Assert.Contains("steps", error.Message.Split("allowed:")[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("- run: a\n")]
    [InlineData("just text")]
    [InlineData("steps: []\n")]
    [InlineData("steps:\n  - echo hi\n")]
    public void Parse_RefusesDocumentsThatAreNotARecipe(string yaml)
    {
        var result = RecipeParser.Parse(yaml);

        Assert.False(result.IsValid);
        Assert.NotEmpty(result.Errors);
    }
}
