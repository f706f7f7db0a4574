using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Baton.Agent.Hosting;
using Baton.Agent.Tracing;
using Baton.Contracts.Observability;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Baton.Agent.Cli;

/// <summary>
/// `baton agent`, and the whole of the native `baton-agent`: claims runs from a server and executes them on this machine
/// until SIGTERM or Ctrl-C, then drains (running runs finish, up to the drain grace) and exits 0.
/// </summary>
public static class AgentCommand
{
    public const string ServerVariable = "BATON_SERVER";
    public const string TokenVariable = "BATON_TOKEN";
    public const string LogFormatVariable = "BATON_LOG_FORMAT";

    private const string Description = "Run an agent: claim runs from a Baton server and execute their steps here";

    /// <summary>The <c>agent</c> command of <c>baton</c>.</summary>
    public static Command Create() => Configure(new Command("agent", Description), "baton");

    /// <summary>The agent as a program of its own: the options are the root command's (<c>baton-agent --server URL ...</c>).</summary>
    public static RootCommand CreateRoot() => Configure(new RootCommand(Description), "baton-agent");

    /// <param name="program">How error messages name the program.</param>
    private static T Configure<T>(T command, string program) where T : Command
    {
        var server = new Option<string?>("--server") { Description = $"The Baton server's URL (or {ServerVariable})" };
        var token = new Option<string?>("--token") { Description = $"An agent token (or {TokenVariable})" };
        var labels = new Option<string?>("--labels") { Description = "Comma-separated labels this agent offers (e.g. linux,docker)" };
        // Read as text so a bad number is reported like every other bad option: one line, exit 2.
        var capacity = new Option<string?>("--capacity") { Description = "Runs executed at the same time (default 1)" };
        var workDir = new Option<string?>("--work-dir") { Description = "Directory for run workspaces and the log spool (default: a temp directory)" };
        var name = new Option<string?>("--name") { Description = "The agent's name on the server (default: the machine name)" };
        var logFormat = new Option<string?>("--log-format") { Description = $"text (default) or json: one object per line, with run and trace ids (or {LogFormatVariable})" };
        foreach (var option in new Option[] { server, token, labels, capacity, workDir, name, logFormat })
        {
            command.Options.Add(option);
        }
        // A synchronous action on purpose: System.CommandLine gives an asynchronous action only a short
        // grace after SIGTERM before it exits, and draining needs up to the drain grace and more.
        command.SetAction(result =>
        {
            var (options, problems) = Read(result.GetValue(server), result.GetValue(token), result.GetValue(labels),
                result.GetValue(capacity), result.GetValue(workDir), result.GetValue(name));
            var format = result.GetValue(logFormat) ?? Environment.GetEnvironmentVariable(LogFormatVariable);
            if (LogFormat.Check(format, "--log-format") is { } badFormat)
            {
                problems = [.. problems, badFormat];
                options = null;
            }
            if (options is null)
            {
                Console.Error.WriteLine($"{program}: invalid options: {string.Join("; ", problems)}");
                return BatonCommandLine.UsageError;
            }
            return RunAsync(options, LogFormat.IsJson(format)).GetAwaiter().GetResult();
        });
        return command;
    }

    private static async Task<int> RunAsync(AgentOptions options, bool jsonLogs)
    {
        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Drain(context, stop));
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Drain(context, stop));
        using var loggerFactory = LoggerFactory.Create(logging =>
        {
            if (jsonLogs)
            {
                logging.AddJsonConsole(LogFormat.ConfigureJsonConsole);
            }
            else
            {
                logging.AddSimpleConsole(console =>
                {
                    console.SingleLine = true;
                    console.TimestampFormat = "HH:mm:ss ";
                });
            }
        });
        // Spans go to an OpenTelemetry collector when one is named (OTEL_EXPORTER_OTLP_ENDPOINT), as the server's do.
        using var tracing = Environment.GetEnvironmentVariable(Otlp.EndpointVariable) is { Length: > 0 }
            ? Sdk.CreateTracerProviderBuilder().AddSource(AgentTracing.SourceName)
                .ConfigureResource(resource => resource.AddService("baton-agent")).AddOtlpExporter().Build()
            : null;
        using var http = AgentHost.CreateHttpClient();
        Console.Out.WriteLine($"Agent '{options.Name}' working for {options.Server} (capacity {options.Capacity}, in {Path.GetFullPath(options.WorkDirectory)}). Ctrl-C drains and stops it.");
        await new AgentHost(options, http, loggerFactory, TimeProvider.System).RunAsync(stop.Token);
        return 0;
    }

    /// <summary>The first signal drains; a second one (the operator insists) ends the process at once.</summary>
    private static void Drain(PosixSignalContext context, CancellationTokenSource stop)
    {
        if (stop.IsCancellationRequested)
        {
            return;
        }
        context.Cancel = true;
        stop.Cancel();
    }

    /// <summary>Options from the command line, falling back to the environment; null with every problem when invalid.</summary>
    public static (AgentOptions? Options, IReadOnlyList<string> Problems) Read(string? server, string? token, string? labels, string? capacity,
        string? workDir, string? name)
    {
        var problems = new List<string>();
        server ??= Environment.GetEnvironmentVariable(ServerVariable);
        token ??= Environment.GetEnvironmentVariable(TokenVariable);
        Uri? serverUri = null;
        if (string.IsNullOrWhiteSpace(server))
        {
            problems.Add($"--server is required (or {ServerVariable})");
        }
        else if (!Uri.TryCreate(server, UriKind.Absolute, out serverUri))
        {
            problems.Add($"--server must be an http(s) URL (got '{server}')");
        }
        var slots = 1;
        if (capacity is not null && !int.TryParse(capacity, NumberStyles.None, CultureInfo.InvariantCulture, out slots))
        {
            problems.Add($"--capacity must be a whole number between 1 and {AgentOptions.MaxCapacity} (got '{capacity}')");
            slots = 1;
        }
        var defaults = new AgentOptions { Server = serverUri ?? new Uri("http://localhost"), Token = token ?? "" };
        var options = defaults with
        {
            Labels = AgentOptions.ParseLabels(labels),
            Capacity = slots,
            WorkDirectory = workDir ?? defaults.WorkDirectory,
            Name = name ?? defaults.Name,
        };
        problems.AddRange(options.Validate().Where(problem => serverUri is not null || !problem.StartsWith("--server", StringComparison.Ordinal)));
        if (string.IsNullOrWhiteSpace(token))
        {
            problems.RemoveAll(problem => problem.StartsWith("--token", StringComparison.Ordinal));
            problems.Add($"--token is required (or {TokenVariable})");
        }
        return problems.Count == 0 ? (options, problems) : (null, problems);
    }
}
