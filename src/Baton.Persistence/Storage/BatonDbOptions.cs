using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Baton.Persistence.Storage;

/// <summary>Configures <see cref="BatonDbContext"/> for the chosen provider; used by the server, tools and tests.</summary>
public static class BatonDbOptions
{
    public const string SqliteMigrationsAssembly = "Baton.Persistence.Sqlite";
    public const string PostgresMigrationsAssembly = "Baton.Persistence.Postgres";
    public const string SqliteFileName = "baton.db";

    public static void Configure(DbContextOptionsBuilder builder, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(storage);
        if (storage.IsPostgres)
        {
            builder.UseNpgsql(PostgresConnectionString.For(storage.ConnectionString!), npgsql => npgsql.MigrationsAssembly(PostgresMigrationsAssembly));
        }
        else
        {
            builder.UseSqlite(SqliteConnectionString(storage), sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly));
            builder.AddInterceptors(SqlitePragmas.Instance);
        }
        builder.AddInterceptors(NoAutoSavepoints.Instance);
        builder.UseSnakeCaseNamingConvention();
#if DEBUG
        // A limit without an order picks rows at the database's whim; in the builds the tests run, that fails the query
        // (and the test) instead of logging a warning no one reads. A release build keeps the warning.
        builder.ConfigureWarnings(warnings => warnings.Throw(CoreEventId.RowLimitingOperationWithoutOrderByWarning));
#endif
    }

    public static string SqliteConnectionString(StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (!string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            return storage.ConnectionString;
        }
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(Path.GetFullPath(storage.DataDirectory), SqliteFileName),
            Pooling = true,
            ForeignKeys = true,
            // Seconds a command waits for the write lock before giving up (SQLite has one writer).
            DefaultTimeout = 30,
        }.ToString();
    }
}
