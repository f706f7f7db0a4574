using System.Text;
using Baton.Core.Recipes;

namespace Baton.Core.Tests.Recipes;

/// <summary>Inputs built to hurt a YAML parser are refused cleanly (speed is measured in bench/).</summary>
public sealed class HostileRecipeTests
{
    [Fact]
    public void Parse_RefusesBillionLaughs_AtTheFirstAnchor()
    {
        var yaml = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var i = 0; i < 8; i++)
        {
            var (name, previous) = ((char)('b' + i), (char)('a' + i));
            yaml.Append(name).Append(": &").Append(name).Append(" [").Append(string.Join(",", Enumerable.Repeat($"*{previous}", 9))).Append("]\n");
        }

        var error = Assert.Single(RecipeParser.Parse(yaml.ToString()).Errors);

        Assert.Equal(RecipeErrorKind.AliasNotAllowed, error.Kind);
        Assert.Equal((1, 4), (error.Line, error.Column));
    }

    [Theory]
    [InlineData("steps:\n  - &s { run: a }\n", 2, 5)]
    [InlineData("defaults: { run: a }\nsteps:\n  - *defaults\n", 3, 5)]
    [InlineData("steps:\n  - <<: {run: a}\n", 2, 5)]
    public void Parse_RefusesAnchorsAliasesAndMergeKeys(string yaml, int line, int column)
    {
        var error = Assert.Single(RecipeParser.Parse(yaml).Errors);

        Assert.Equal(RecipeErrorKind.AliasNotAllowed, error.Kind);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Theory]
    [InlineData("steps:\n  - name: t\n    run: 'true'\n    retry: { attempts: 1, del: value\nay: 1s }\n", 4)]
    [InlineData("steps:\n  - name: [s164\n    run: make\n\n*a\nx: [*a, *a]\n", 2)]
    public void Parse_RefusesUnquotedTextRunningOutOfABracket_AsASyntaxErrorNearIt(string yaml, int line)
    {
        var error = Assert.Single(RecipeParser.Parse(yaml).Errors);

        Assert.Equal(RecipeErrorKind.Syntax, error.Kind);
        Assert.Contains("quote it or close the bracket", error.Message, StringComparison.Ordinal);
        Assert.Equal(line, error.Line);
    }

    [Theory]
    [InlineData("steps:\n  - name: a\n    run: ec\0ho\n", 3, 12)]
    [InlineData("\0steps: []\n", 1, 1)]
    public void Parse_RefusesNulCharacters_WhereTheyAre(string yaml, int line, int column)
    {
        var error = Assert.Single(RecipeParser.Parse(yaml).Errors);

        Assert.Equal((RecipeErrorKind.Syntax, line, column), (error.Kind, error.Line, error.Column));
    }

    [Fact]
    public void Parse_StopsAtTheDepthLimit_For10000DeepFlowNesting()
    {
        var yaml = "steps: " + new string('[', 10_000) + new string(']', 10_000);

        var error = Assert.Single(RecipeParser.Parse(yaml).Errors);

        Assert.Equal(RecipeErrorKind.TooDeep, error.Kind);
        Assert.Equal((1, 8 + RecipeLimits.MaxDepth - 1), (error.Line, error.Column));
    }

    [Fact]
    public void Parse_StopsAtTheDepthLimit_For10000DeepMappings()
    {
        var yaml = string.Concat(Enumerable.Repeat("{a: ", 10_000)) + "1" + new string('}', 10_000);

        Assert.Equal(RecipeErrorKind.TooDeep, Assert.Single(RecipeParser.Parse(yaml).Errors).Kind);
    }

    [Fact]
    public void Parse_StopsAtTheDepthLimit_ForDeepBlockNesting()
    {
        var yaml = string.Concat(Enumerable.Range(0, 400).Select(i => new string(' ', i) + "a:\n"));

        var error = Assert.Single(RecipeParser.Parse(yaml).Errors);

        Assert.Equal(RecipeErrorKind.TooDeep, error.Kind);
        Assert.Equal(RecipeLimits.MaxDepth + 1, error.Line);
    }

    [Fact]
    public void Parse_RefusesA10MegabyteDocument_WithoutParsingIt()
    {
        var yaml = "steps:\n" + string.Concat(Enumerable.Repeat("  - run: echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", 200_000));

        var error = Assert.Single(RecipeParser.Parse(yaml).Errors);

        Assert.Equal(RecipeErrorKind.TooLarge, error.Kind);
        Assert.Equal((1, 1), (error.Line, error.Column));
    }

    [Fact]
    public void Parse_CountsBytesNotCharacters_ForTheSizeLimit()
    {
        var yaml = "steps:\n  - run: echo " + new string('é', RecipeLimits.MaxBytes / 2) + "\n";

        Assert.Equal(RecipeErrorKind.TooLarge, Assert.Single(RecipeParser.Parse(yaml).Errors).Kind);
    }

    [Fact]
    public void Parse_HandlesALargeValidDocument_JustUnderTheLimit()
    {
        var step = "  - run: echo " + new string('x', 600) + "\n";
        var count = Math.Min(RecipeLimits.MaxSteps, (RecipeLimits.MaxBytes - 100) / step.Length);
        var yaml = "steps:\n" + string.Concat(Enumerable.Repeat(step, count));

        var result = RecipeParser.Parse(yaml);

        Assert.True(result.IsValid, string.Join("; ", result.Errors.Take(3)));
        Assert.Equal(count, result.Recipe!.Steps.Count);
    }

    [Theory]
    [InlineData("steps:\n  - run: a\n---\nsteps:\n  - run: b\n", RecipeErrorKind.Syntax)]
    [InlineData("steps:\n  - run: !!python/object:os.system rm\n", RecipeErrorKind.InvalidValue)]
    [InlineData("? [a, b]\n: c\nsteps:\n  - run: a\n", RecipeErrorKind.InvalidValue)]
    [InlineData("steps:\n  - run: \"unterminated\n", RecipeErrorKind.Syntax)]
    public void Parse_RefusesStreamsTagsAndComplexKeys(string yaml, RecipeErrorKind kind)
    {
        Assert.Equal(kind, Assert.Single(RecipeParser.Parse(yaml).Errors).Kind);
    }
}
