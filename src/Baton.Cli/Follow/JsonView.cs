using Baton.Cli.Client;
using Baton.Cli.Output;
using Baton.Server.Features.Runs;

namespace Baton.Cli.Follow;

/// <summary>For scripts (<c>--output json</c>): nothing while the run goes on, then the finished run's JSON on stdout.</summary>
internal sealed class JsonView(Printer printer) : FollowView
{
    public override void Finished(FollowState state, ApiResult<RunDto> final)
    {
        ArgumentNullException.ThrowIfNull(final);
        printer.WriteJson(final.Json);
    }
}
