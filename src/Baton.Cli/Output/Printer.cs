using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;
using Baton.Cli.Client;

namespace Baton.Cli.Output;

/// <summary>
/// Everything a client command prints goes through here: with <c>--output json</c> stdout holds only the JSON
/// document (scripts parse it), and notes for people go to stderr either way.
/// </summary>
internal sealed class Printer(OutputFormat format, IAnsiConsole console, IAnsiConsole errors)
{
    private readonly TextWriter _out = System.Console.Out;

    public OutputFormat Format { get; } = format;

    public bool Json => Format == OutputFormat.Json;

    public IAnsiConsole Console { get; } = console;

    /// <summary>The answer: its JSON, or what <paramref name="render"/> makes of it.</summary>
    public void Show<T>(ApiResult<T> result, Func<T, IRenderable> render)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(render);
        if (Json)
        {
            WriteJson(result.Json);
        }
        else
        {
            Console.Write(render(result.Value));
        }
    }

    /// <summary>The answer: its JSON, or one line of text for people.</summary>
    public void Show<T>(ApiResult<T> result, Func<T, string> line)
    {
        ArgumentNullException.ThrowIfNull(line);
        Show(result, value => (IRenderable)new Text(line(value) + "\n"));
    }

    /// <summary>A document this client made (not a server answer), e.g. a local validation's result.</summary>
    public void WriteJson<T>(T value) =>
        _out.WriteLine(value is JsonElement element
            ? JsonSerializer.Serialize(element, ClientJson.Indented)
            : JsonSerializer.Serialize(value, ClientJson.Indented));

    /// <summary>An outcome this client worked out itself: <paramref name="document"/> as JSON, or <paramref name="text"/> for people.</summary>
    public void Result(object document, string text)
    {
        if (Json)
        {
            WriteJson(document);
        }
        else
        {
            Console.WriteLine(text);
        }
    }

    /// <summary>A note for people (progress, hints): stderr, so it never mixes with JSON on stdout.</summary>
    public void Note(string markup) => errors.MarkupLine(markup);

    /// <summary>Text for people on stdout, only in table mode.</summary>
    public void Line(string text)
    {
        if (!Json)
        {
            Console.WriteLine(text);
        }
    }
}
