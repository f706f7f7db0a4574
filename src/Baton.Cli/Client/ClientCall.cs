using System.CommandLine;
using Baton.Cli.Output;
using Spectre.Console;

namespace Baton.Cli.Client;

/// <summary>One invocation of a client command: its parsed arguments, settings, API connection and printer.</summary>
internal sealed class ClientCall : IDisposable
{
    private readonly Lazy<BatonApi> _api;

    public ClientCall(ParseResult parse, ClientSettings settings, OutputFormat format)
    {
        Parse = parse;
        Settings = settings;
        Printer = new Printer(format, ConsoleFor(Console.Out, Console.IsOutputRedirected), ConsoleFor(Console.Error, Console.IsErrorRedirected));
        _api = new Lazy<BatonApi>(() => new BatonApi(settings.Server, settings.RequireToken()));
    }

    public ParseResult Parse { get; }

    public ClientSettings Settings { get; }

    public Printer Printer { get; }

    public BatonApi Api => _api.Value;

    /// <summary>The project to act on (option, BATON_PROJECT, or the saved default), escaped for a URL path.</summary>
    public string ProjectPath => BatonApi.Escape(Settings.RequireProject());

    public T Value<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    public T Value<T>(Option<T> option) => Parse.GetValue(option)!;

    /// <summary>A console on <paramref name="writer"/>; into a file or pipe, lines are not wrapped at 80 columns (nothing reads them at that width).</summary>
    private static IAnsiConsole ConsoleFor(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        if (redirected)
        {
            console.Profile.Width = RedirectedWidth;
        }
        return console;
    }

    private const int RedirectedWidth = 240;

    public void Dispose()
    {
        if (_api.IsValueCreated)
        {
            _api.Value.Dispose();
        }
    }
}
