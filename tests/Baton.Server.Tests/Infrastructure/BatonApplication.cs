using System.Net.Http.Headers;
using System.Net.Http.Json;
using Baton.Contracts.Json;
using Baton.Core.Access;
using Baton.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Baton.Server.Tests.Infrastructure;

/// <summary>
/// The real server in memory, on one storage provider, with an admin token made at first
/// start (BATON_BOOTSTRAP_TOKEN). Tests send real credentials and check stored state.
/// </summary>
public abstract class BatonApplication : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminToken = "test-admin-token-0123456789abcdefghijklmnop";

    public CapturedLogs Logs { get; } = new();

    public abstract string Provider { get; }

    /// <summary>Settings on top of storage, e.g. short leases; set them in a fixture subclass's constructor.</summary>
    protected Dictionary<string, string?> Settings { get; } = [];

    /// <summary>Service replacements applied after the server's own registrations (e.g. a fake clock).</summary>
    protected List<Action<IServiceCollection>> TestServices { get; } = [];

    protected abstract IReadOnlyDictionary<string, string?> StorageSettings();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => DisposeStorageAsync();

    protected virtual async Task DisposeStorageAsync() => await base.DisposeAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureAppConfiguration((_, configuration) =>
        {
            var settings = new Dictionary<string, string?>(StorageSettings()) { ["BOOTSTRAP_TOKEN"] = AdminToken };
            foreach (var (name, value) in Settings)
            {
                settings[name] = value;
            }
            configuration.AddInMemoryCollection(settings);
        });
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureServices(services => TestServices.ForEach(configure => configure(services)));
    }

    /// <summary>A client that sends <paramref name="token"/> (default: the admin token; null: none).</summary>
    public HttpClient Client(string? token = AdminToken)
    {
        var client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>A client with a new agent token that, like an agent, sends each run's job token on that run's calls.</summary>
    public async Task<HttpClient> AgentClientAsync() => CreateDefaultClient(new JobTokenHandler(await TokenAsync(Role.Agent)));

    /// <summary>Creates a token with <paramref name="role"/> through the API and returns its secret.</summary>
    public async Task<string> TokenAsync(Role role, string? name = null)
    {
        var response = await Client().PostAsJsonAsync("/api/tokens", new { name = name ?? $"{role}-{Guid.NewGuid():N}", role }, BatonJson.Options);
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<Baton.Server.Features.Tokens.CreatedTokenDto>(BatonJson.Options);
        return created!.Secret;
    }

    /// <summary>Runs <paramref name="query"/> on a fresh context, to check what was stored.</summary>
    public async Task<T> DbAsync<T>(Func<BatonDbContext, Task<T>> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<BatonDbContext>());
    }
}

public class SqliteApplication : BatonApplication
{
    private readonly string _directory = Directory.CreateTempSubdirectory("baton-test-").FullName;

    public override string Provider => "sqlite";

    /// <summary>The server's data directory (the SQLite file, the key ring).</summary>
    public string DataDirectory => _directory;

    protected override IReadOnlyDictionary<string, string?> StorageSettings() => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "sqlite",
        ["Storage:DataDirectory"] = _directory,
    };

    protected override async Task DisposeStorageAsync()
    {
        await base.DisposeStorageAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await DeleteAsync(_directory);
    }

    /// <summary>
    /// Deletes the data directory, trying again while it is still in use: a file the stopped server's last writes
    /// leave behind (a SQLite journal, a key ring file) can appear while the tree is being deleted.
    /// </summary>
    private static async Task DeleteAsync(string directory)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
                return;
            }
            catch (IOException) when (TimeProvider.System.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        }
    }
}

public class PostgresApplication : BatonApplication
{
    private string? _connectionString;

    public override string Provider => "postgres";

    public override async Task InitializeAsync() =>
        _connectionString = await Baton.Tests.Support.PostgresTestServer.CreateDatabaseAsync("baton_api");

    protected override IReadOnlyDictionary<string, string?> StorageSettings() => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "postgres",
        ["Storage:ConnectionString"] = _connectionString,
    };

    protected override async Task DisposeStorageAsync()
    {
        await base.DisposeStorageAsync();
        if (_connectionString is not null)
        {
            await Baton.Tests.Support.PostgresTestServer.DropDatabaseAsync(_connectionString);
        }
    }
}
