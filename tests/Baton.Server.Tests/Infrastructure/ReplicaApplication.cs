using Baton.Server.Infrastructure.Signals;
using Baton.Tests.Support;

namespace Baton.Server.Tests.Infrastructure;

/// <summary>Another server process's view: the same PostgreSQL database as another replica.</summary>
public sealed class ReplicaApplication : BatonApplication
{
    private readonly string _connectionString;

    /// <param name="connectionString">The database every replica of the test shares.</param>
    /// <param name="settings">Settings on top of storage (e.g. short leases).</param>
    public ReplicaApplication(string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _connectionString = connectionString;
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
        {
            Settings[name] = value;
        }
    }

    public override string Provider => "postgres";

    protected override IReadOnlyDictionary<string, string?> StorageSettings() => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "postgres",
        ["Storage:ConnectionString"] = _connectionString,
    };

    /// <summary>Whether this replica has heard of another on the signal channel (it tells no one what happens on it before).</summary>
    public bool KnowsAnotherReplica() => Logs.Entries.Any(e =>
        e.Category == typeof(PostgresSignalBridge).FullName && e.Message.Contains("shares this database", StringComparison.Ordinal));
}

/// <summary>Two replicas on one fresh PostgreSQL database, for each test: what N servers behind a load balancer share.</summary>
public abstract class TwoReplicasTestBase : IAsyncLifetime, IDisposable
{
    private string _database = "";

    protected ReplicaApplication A { get; private set; } = null!;

    protected ReplicaApplication B { get; private set; } = null!;

    /// <summary>Settings both replicas start with.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? ReplicaSettings => null;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestServer.CreateDatabaseAsync("baton_replicas");
        A = new ReplicaApplication(_database, ReplicaSettings);
        B = new ReplicaApplication(_database, ReplicaSettings);
        // Start one first: it migrates; the second finds the schema up to date.
        _ = A.Services;
        _ = B.Services;
    }

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
        GC.SuppressFinalize(this);
    }

    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        await PostgresTestServer.DropDatabaseAsync(_database);
    }

    /// <summary>
    /// Waits until each replica has met the other on the signal channel. Until then a replica sends its pulses to no one,
    /// and meeting wakes every waiter once: a test of what the pulses carry starts after that.
    /// </summary>
    protected async Task ReplicasKnowEachOtherAsync() =>
        await Eventually.TrueAsync(() => Task.FromResult(A.KnowsAnotherReplica() && B.KnowsAnotherReplica()), TimeSpan.FromSeconds(60),
            "each replica to hear of the other through PostgreSQL");
}
