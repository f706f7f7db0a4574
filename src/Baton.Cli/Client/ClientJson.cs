using System.Text.Json;
using System.Text.Json.Serialization;
using Baton.Contracts.Json;

namespace Baton.Cli.Client;

/// <summary>
/// The contract's JSON conventions, except that members the client does not know are skipped:
/// a newer server may answer more than this client reads.
/// </summary>
internal static class ClientJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>For printing: indented, and '+' or '&lt;' left as they are (the output is read by people and parsers, not put in HTML).</summary>
    public static JsonSerializerOptions Indented { get; } = new(Options)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        BatonJson.Configure(options);
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
