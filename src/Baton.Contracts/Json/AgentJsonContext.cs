using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Baton.Contracts.Agents;
using Baton.Contracts.Runs;

namespace Baton.Contracts.Json;

/// <summary>
/// The agent protocol's messages (Agents/) with <see cref="BatonJson"/>'s conventions, as generated code: what the agent
/// reads and writes, so that the native baton-agent needs no reflection. The server answers with ASP.NET Core's options
/// (<see cref="BatonJson.Configure"/>); Baton.Contracts.Tests proves the two write the same JSON and read each other's.
/// Every option below repeats one of <see cref="BatonJson.Configure"/>'s, on top of the web defaults both start from;
/// use <see cref="Wire"/>, which adds the one setting an attribute cannot carry.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    Converters = [typeof(SnakeCaseEnumConverter<StepStatus>), typeof(SnakeCaseEnumConverter<RunResult>), typeof(SnakeCaseEnumConverter<LogSourceName>)])]
[JsonSerializable(typeof(RegisterAgentRequest))]
[JsonSerializable(typeof(RegisterAgentResponse))]
[JsonSerializable(typeof(ClaimRequest))]
[JsonSerializable(typeof(ClaimedRun))]
[JsonSerializable(typeof(LeaseRequest))]
[JsonSerializable(typeof(LeaseResponse))]
[JsonSerializable(typeof(StepUpdate))]
[JsonSerializable(typeof(StepsUpdate))]
[JsonSerializable(typeof(CompleteRequest))]
[JsonSerializable(typeof(CompleteResponse))]
[JsonSerializable(typeof(LogBatch))]
[JsonSerializable(typeof(LogBatchReceipt))]
public sealed partial class AgentJsonContext : JsonSerializerContext
{
    /// <summary>
    /// <see cref="Default"/> with ASP.NET Core's encoder, which escapes only what JSON requires (not quotes, apostrophes or
    /// non-ASCII letters): the agent then writes exactly the bytes the server would, and a log line in another script
    /// travels as UTF-8 instead of six bytes per character.
    /// </summary>
    public static AgentJsonContext Wire => WireContext.Instance;

    // Its own class so that Default, made by the generated half of this one, exists before it is copied.
    private static class WireContext
    {
        public static readonly AgentJsonContext Instance =
            new(new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
