using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Baton.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Tests.Features.Secrets;

/// <summary>SQLite with a configured key: the key ring sits in the data directory, its keys encrypted.</summary>
public sealed class KeyedSqliteApplication : SqliteApplication
{
    public KeyedSqliteApplication() => Settings["Secrets:Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}

/// <summary>PostgreSQL with a configured key: the key ring is in the database, its keys encrypted.</summary>
public sealed class KeyedPostgresApplication : PostgresApplication
{
    public KeyedPostgresApplication() => Settings["Secrets:Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}

/// <summary>Where the key ring that encrypts secrets is kept, and that a configured key encrypts it.</summary>
public sealed class KeyRingTests
{
    private const string Value = "a-value-worth-encrypting";

    private static async Task SetSecretAsync(BatonApplication app)
    {
        var admin = app.Client();
        var key = "p-" + Guid.NewGuid().ToString("N")[..12];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/projects", new { key, name = key })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsJsonAsync($"/api/projects/{key}/secrets/API_KEY", new { value = Value })).StatusCode);
    }

    [Fact]
    public async Task WithSqlite_TheKeyRingIsInTheDataDirectory_ReadableOnlyByTheServersUser()
    {
        var app = new SqliteApplication();
        await ((IAsyncLifetime)app).InitializeAsync();
        await SetSecretAsync(app);

        var keys = Path.Combine(app.DataDirectory, "keys");
        var files = Directory.GetFiles(keys, "*.xml");
        Assert.NotEmpty(files);
        Assert.Contains("<masterKey", await File.ReadAllTextAsync(files[0]), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
        }
        await ((IAsyncLifetime)app).DisposeAsync();
    }

    [Fact]
    public async Task WithAConfiguredKey_TheKeyRingsKeysAreStoredEncrypted()
    {
        var app = new KeyedSqliteApplication();
        await ((IAsyncLifetime)app).InitializeAsync();
        await SetSecretAsync(app);

        var ring = await File.ReadAllTextAsync(Directory.GetFiles(Path.Combine(app.DataDirectory, "keys"), "*.xml").Single());
        Assert.Contains("batonEncryptedKey", ring, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", ring, StringComparison.Ordinal);
        await ((IAsyncLifetime)app).DisposeAsync();
    }

    [Fact]
    public async Task WithPostgres_TheKeyRingIsInTheDatabase_EncryptedWithTheConfiguredKey()
    {
        var app = new KeyedPostgresApplication();
        await app.InitializeAsync();
        await SetSecretAsync(app);

        var ring = await app.DbAsync(db => db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
        var only = Assert.Single(ring);
        Assert.Contains("batonEncryptedKey", only, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", only, StringComparison.Ordinal);
        await ((IAsyncLifetime)app).DisposeAsync();
    }
}
