using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Baton.Contracts.Agents;
using Baton.Contracts.Json;
using Baton.Contracts.Recipes;
using Baton.Contracts.Runs;

namespace Baton.Contracts.Tests;

/// <summary>
/// The agent writes and reads the protocol with generated code (<see cref="AgentJsonContext"/>), the server with ASP.NET Core's
/// options and <see cref="BatonJson.Configure"/>: the two must write the same bytes and read each other's, refusing the same things.
/// </summary>
public sealed class AgentJsonContextTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);

    /// <summary>The server's options, made as ASP.NET Core makes them for minimal APIs, then configured as the server does.</summary>
    private static readonly JsonSerializerOptions Server = ServerOptions();

    private static JsonSerializerOptions ServerOptions()
    {
        var options = new Microsoft.AspNetCore.Http.Json.JsonOptions().SerializerOptions;
        BatonJson.Configure(options);
        return options;
    }

    private static AgentJsonContext Agent => AgentJsonContext.Wire;

    private static ClaimedRun Claimed() => new()
    {
        RunId = 41,
        Epoch = 3,
        Attempt = 2,
        Project = "web",
        WorkItem = "web-7",
        Recipe = new RecipeSpec
        {
            Name = "build",
            Env = new Dictionary<string, string> { ["MODE"] = "release" },
            Timeout = TimeSpan.FromMinutes(15),
            Retry = new RunRetryPolicy([75], 2, TimeSpan.FromSeconds(30)),
            Steps =
            [
                new RecipeStep { Name = "compile", Run = "make", Cwd = "src", Timeout = TimeSpan.FromSeconds(90), Retry = new RetryPolicy(1, TimeSpan.FromSeconds(2)) },
                new RecipeStep { Name = "test", Run = "make test", ContinueOnError = true, Env = new Dictionary<string, string> { ["CI"] = "1" } },
            ],
        },
        RecipeHash = "abc123",
        FirstLine = 101,
        MaxLogBytes = 1 << 20,
        LeaseSeconds = 30,
        RenewSeconds = 10,
        Environment = new Dictionary<string, string> { ["BATON_RUN_ID"] = "41" },
        Trace = new RunTrace("0af7651916cd43dd8448eb211c80319c", At, null, At.AddSeconds(2), ApprovalRequired: false),
        JobToken = "baton_job_x",
        Secrets = new Dictionary<string, string> { ["API_KEY"] = "s3cr3t-value" },
    };

    public static TheoryData<string> Messages() => [.. Cases.Keys];

    /// <summary>Each message as the agent's generated code writes it and as the server's options do.</summary>
    private static readonly Dictionary<string, (string Agent, string Server)> Cases = new()
    {
        ["register"] = Both(new RegisterAgentRequest("box", ["linux", "x64"], 2, "1.0.0"), Agent.RegisterAgentRequest),
        ["registered"] = Both(new RegisterAgentResponse(7, 30, 10, 20), Agent.RegisterAgentResponse),
        ["claim"] = Both(new ClaimRequest(20, Draining: true), Agent.ClaimRequest),
        ["claimed"] = Both(Claimed(), Agent.ClaimedRun),
        ["lease"] = Both(new LeaseRequest(3, 10), Agent.LeaseRequest),
        ["leased"] = Both(new LeaseResponse(Cancel: false, At), Agent.LeaseResponse),
        ["step"] = Both(new StepUpdate(3, StepStatus.TimedOut, 1, null, At, At.AddSeconds(1), "b7ad6b7169203331"), Agent.StepUpdate),
        ["steps"] = Both(new StepsUpdate(3, [new StepState(4, StepStatus.Running, 1, null, At, null, "b7ad6b7169203331"),
            new StepState(3, StepStatus.Failed, 2, 1, At, At.AddSeconds(1))]), Agent.StepsUpdate),
        ["complete"] = Both(new CompleteRequest(3, RunResult.TimedOut, 124, "step 'compile' timed out",
            [new StepState(0, StepStatus.Succeeded, 1, 0, At, At), new StepState(1, StepStatus.Skipped, 0, null, null, null)], ClaimFor: 7), Agent.CompleteRequest),
        ["completed"] = Both(new CompleteResponse(41, RunResult.Succeeded, Claimed()), Agent.CompleteResponse),
        ["logs"] = Both(new LogBatch(3, 9, [new LogBatchLine(101, At, 0, LogSourceName.Stderr, "l'été ✓ <b> \"x\""), new LogBatchLine(102, At, null, LogSourceName.System, "")]),
            Agent.LogBatch),
        ["receipt"] = Both(new LogBatchReceipt(9, Duplicate: true, 2), Agent.LogBatchReceipt),
    };

    private static (string Agent, string Server) Both<T>(T message, JsonTypeInfo<T> agent) =>
        (JsonSerializer.Serialize(message, agent), JsonSerializer.Serialize(message, Server));

    [Theory]
    [MemberData(nameof(Messages))]
    public void AgentAndServer_WriteTheSameJson(string message)
    {
        var (agent, server) = Cases[message];

        Assert.Equal(server, agent);
    }

    [Fact]
    public void EnumValues_AreSnakeCaseNames_InBoth()
    {
        Assert.Contains("\"status\":\"timed_out\"", Cases["step"].Agent, StringComparison.Ordinal);
        Assert.Contains("\"stream\":\"stderr\"", Cases["logs"].Agent, StringComparison.Ordinal);
        Assert.Contains("\"result\":\"timed_out\"", Cases["complete"].Agent, StringComparison.Ordinal);
    }

    [Fact]
    public void EachReadsWhatTheOtherWrote_AndWritesItBackUnchanged()
    {
        // The server's answers as the agent reads them, and the agent's requests as the server reads them.
        RoundTrip(Cases["claimed"].Server, Agent.ClaimedRun);
        RoundTrip(Cases["completed"].Server, Agent.CompleteResponse);
        RoundTrip(Cases["leased"].Server, Agent.LeaseResponse);
        RoundTrip(Cases["registered"].Server, Agent.RegisterAgentResponse);
        RoundTrip(Cases["register"].Agent, Agent.RegisterAgentRequest);
        RoundTrip(Cases["step"].Agent, Agent.StepUpdate);
        RoundTrip(Cases["steps"].Agent, Agent.StepsUpdate);
        RoundTrip(Cases["complete"].Agent, Agent.CompleteRequest);
        RoundTrip(Cases["logs"].Agent, Agent.LogBatch);

        static void RoundTrip<T>(string json, JsonTypeInfo<T> agent)
        {
            Assert.Equal(json, JsonSerializer.Serialize(JsonSerializer.Deserialize(json, agent)!, agent));
            Assert.Equal(json, JsonSerializer.Serialize(JsonSerializer.Deserialize<T>(json, Server)!, Server));
        }
    }

    [Theory]
    [InlineData("""{"epoch":3,"status":"timed_out","attempt":1,"exitCode":null,"startedAt":null,"finishedAt":null,"spanId":null,"extra":1}""")]
    [InlineData("""{"epoch":3,"status":4,"attempt":1,"exitCode":null,"startedAt":null,"finishedAt":null,"spanId":null}""")]
    [InlineData("""{"epoch":3,"status":"TimedOutish","attempt":1,"exitCode":null,"startedAt":null,"finishedAt":null,"spanId":null}""")]
    [InlineData("""{"epoch":3,"status":"timed_out","exitCode":null,"startedAt":null,"finishedAt":null,"spanId":null}""")]
    public void BothRefuse_UnknownMembers_IntegerOrUnknownEnumValues_AndMissingRequiredValues(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, Agent.StepUpdate));
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<StepUpdate>(json, Server));
    }

    [Fact]
    public void BothRefuse_NullWhereTheContractSaysNeverNull()
    {
        const string json = """{"name":null,"labels":[],"capacity":1,"version":"1"}""";

        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, Agent.RegisterAgentRequest));
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<RegisterAgentRequest>(json, Server));
    }
}
