namespace Baton.Persistence.Storage;

/// <summary>
/// Where Baton keeps its data. Bound from the <c>Storage</c> configuration section
/// (environment: <c>BATON_Storage__Provider</c>, <c>BATON_Storage__ConnectionString</c>).
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary><c>sqlite</c> (default: a file in the data directory) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>Required for postgres; for sqlite it overrides the file in the data directory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Directory for the SQLite file and other local state (set by --data-dir).</summary>
    public string DataDirectory { get; set; } = ".baton";

    public bool IsSqlite => string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase);
    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);

    /// <summary>The first problem with these settings, naming the setting, or null when valid.</summary>
    public string? Validate()
    {
        if (!IsSqlite && !IsPostgres)
        {
            return $"{Section}:Provider must be '{Sqlite}' or '{Postgres}' (got '{Provider}')";
        }
        if (IsPostgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            return $"{Section}:ConnectionString is required when {Section}:Provider is '{Postgres}' (set BATON_Storage__ConnectionString)";
        }
        if (IsSqlite && string.IsNullOrWhiteSpace(ConnectionString) && string.IsNullOrWhiteSpace(DataDirectory))
        {
            return $"{Section}:DataDirectory must not be empty";
        }
        return null;
    }
}
