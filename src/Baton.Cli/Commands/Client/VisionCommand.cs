using System.CommandLine;
using Baton.Cli.Client;
using Baton.Cli.Output;
using Baton.Contracts.Paging;
using Baton.Server.Features.Vision;
using Baton.Server.Infrastructure.Paging;

namespace Baton.Cli.Commands.Client;

/// <summary>`baton vision show | set | history`: a project's vision, one version per submission.</summary>
internal static class VisionCommand
{
    public static Command Create()
    {
        var version = new Option<int?>("--version") { Description = "An earlier version (default: the current one)", HelpName = "N" };
        var file = new Argument<string>("file") { Description = "A text file with the whole vision (it becomes the next version)" };
        var limit = Paging.Limit();
        return ClientCommand.Group("vision", "A project's vision: show, set, history",
            ClientCommand.Create("show", "Print the vision's text as written", (call, token) => ShowAsync(call, call.Value(version), token),
                project: true, version),
            ClientCommand.Create("set", "Submit FILE's text as the vision's next version", (call, token) => SetAsync(call, call.Value(file), token),
                project: true, file),
            ClientCommand.Create("history", "List the vision's versions, oldest first", (call, token) => HistoryAsync(call, call.Value(limit), token),
                project: true, limit));
    }

    private static async Task<int> ShowAsync(ClientCall call, int? version, CancellationToken cancellationToken)
    {
        var vision = version is { } wanted
            ? await FindVersionAsync(call, wanted, cancellationToken)
            : await call.Api.GetAsync<VisionDto>($"api/projects/{call.ProjectPath}/vision", cancellationToken);
        if (call.Printer.Json)
        {
            call.Printer.WriteJson(vision.Json);
        }
        else
        {
            Verbatim.Write(vision.Value.Text);
        }
        return ExitCodes.Success;
    }

    /// <summary>The API reads one version only as part of the list: page through it (versions are numbered 1, 2, ... in order).</summary>
    private static async Task<ApiResult<VisionDto>> FindVersionAsync(ClientCall call, int version, CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var page = await call.Api.GetAsync<Page<VisionDto>>(
                $"api/projects/{call.ProjectPath}/vision/versions?limit={PageQuery.MaxLimit}" + (cursor is null ? "" : $"&cursor={BatonApi.Escape(cursor)}"),
                cancellationToken);
            var index = page.Value.Items.ToList().FindIndex(v => v.Version == version);
            if (index >= 0)
            {
                return new ApiResult<VisionDto>(page.Value.Items[index], page.Json.GetProperty("items")[index]);
            }
            cursor = page.Value.NextCursor;
        }
        while (cursor is not null);
        throw new CliException(ExitCodes.Usage, $"project '{call.Settings.Project}' has no vision version {version}");
    }

    private static async Task<int> SetAsync(ClientCall call, string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new CliException(ExitCodes.Usage, $"{path}: no such file");
        }
        var text = await File.ReadAllTextAsync(path, cancellationToken);
        var vision = await call.Api.PutAsync<VisionDto>($"api/projects/{call.ProjectPath}/vision", new SubmitVisionRequest { Text = text },
            cancellationToken);
        call.Printer.Show(vision, v => $"Vision version {v.Version} of {call.Settings.Project} saved ({v.Text.Length} characters from {path}).");
        return ExitCodes.Success;
    }

    private static async Task<int> HistoryAsync(ClientCall call, int limit, CancellationToken cancellationToken)
    {
        var page = await call.Api.GetAsync<Page<VisionDto>>($"api/projects/{call.ProjectPath}/vision/versions?limit={limit}", cancellationToken);
        call.Printer.Show(page, p => p.Items.Aggregate(Tables.Of("VERSION", "BY", "AT", "CHARACTERS", "FIRST LINE"), (table, v) => table.Row(
            v.Version, v.CreatedBy, Tables.Time(v.CreatedAt), v.Text.Length, FirstLine(v.Text))));
        Paging.NoteMore(call, page);
        return ExitCodes.Success;
    }

    private static string FirstLine(string text)
    {
        var line = text.TrimStart().Split('\n', 2)[0].TrimEnd('\r');
        return line.Length > FirstLineLength ? line[..FirstLineLength] + "…" : line;
    }

    private const int FirstLineLength = 60;
}
