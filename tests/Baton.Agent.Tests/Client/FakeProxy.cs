using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Baton.Contracts.Agents;
using Baton.Contracts.Json;

namespace Baton.Agent.Tests.Client;

/// <summary>
/// A reverse proxy in front of one replica, as an <see cref="HttpMessageHandler"/> for a real <see cref="Baton.Agent.Client.AgentClient"/>.
/// While <see cref="DownWith"/> is set the replica is dead and the proxy answers that status (502, 503, 504) to every call;
/// otherwise the replica stores log batches once per sequence, as the server does (other calls get an empty 200: tests
/// that need a live replica for them use <see cref="Baton.Agent.Tests.Hosting.FakeAgentServer"/>).
/// Every log batch that reached the proxy is recorded, answered or not, so a test can tell a resend from a new batch.
/// </summary>
public sealed class FakeProxy : HttpMessageHandler
{
    private readonly Lock _gate = new();
    private readonly List<LogBatch> _attempts = [];
    private readonly SortedDictionary<long, LogBatch> _stored = [];
    private int _refused;
    private int _storeThenFail;

    /// <summary>The status the proxy answers for a dead replica; null while the replica is up.</summary>
    public HttpStatusCode? DownWith { get; set; }

    /// <summary>
    /// The next this-many log batches are stored and then answered with <see cref="HttpStatusCode.BadGateway"/>: the replica
    /// committed the batch and died before its answer left, so the agent cannot know the batch arrived.
    /// </summary>
    public int StoreThenFailNext { set => Volatile.Write(ref _storeThenFail, value); }

    /// <summary>Calls the proxy answered for a dead replica.</summary>
    public int Refused => Volatile.Read(ref _refused);

    public IReadOnlyList<LogBatch> Attempts => Read(() => _attempts.ToList());

    public IReadOnlyList<LogBatchLine> StoredLines => Read(() => _stored.Values.SelectMany(b => b.Lines).ToList());

    public IReadOnlyList<long> StoredSeqs => Read(() => _stored.Keys.ToList());

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var isLog = request.RequestUri!.AbsolutePath.EndsWith("/logs", StringComparison.Ordinal);
        var batch = isLog ? JsonSerializer.Deserialize<LogBatch>(await request.Content!.ReadAsByteArrayAsync(cancellationToken), BatonJson.Options) : null;
        lock (_gate)
        {
            if (batch is not null)
            {
                _attempts.Add(batch);
            }
            if (DownWith is { } status)
            {
                _refused++;
                return new HttpResponseMessage(status) { Content = new StringContent("<html><body>no healthy upstream</body></html>") };
            }
            if (batch is not null)
            {
                _stored.TryAdd(batch.Seq, batch);
                if (_storeThenFail > 0)
                {
                    _storeThenFail--;
                    return new HttpResponseMessage(HttpStatusCode.BadGateway);
                }
            }
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }

    private T Read<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }
}
