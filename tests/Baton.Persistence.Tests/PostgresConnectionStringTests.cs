using Baton.Persistence.Storage;
using Baton.Tests.Support;
using Npgsql;

namespace Baton.Persistence.Tests;

/// <summary>What Baton adds to the operator's PostgreSQL connection string, and that an explicit choice wins.</summary>
public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void For_TurnsOffThePoolReset_AndPreparesStatementsUsedTwice()
    {
        var built = new NpgsqlConnectionStringBuilder(PostgresConnectionString.For("Host=db;Username=baton"));

        Assert.True(built.NoResetOnClose);
        Assert.Equal(PostgresConnectionString.AutoPrepared, built.MaxAutoPrepare);
        Assert.Equal(2, built.AutoPrepareMinUsages);
        Assert.Equal(("db", "baton"), (built.Host, built.Username));
    }

    [Fact]
    public void For_KeepsTheOperatorsOwnChoices()
    {
        var built = new NpgsqlConnectionStringBuilder(
            PostgresConnectionString.For("Host=db;No Reset On Close=false;Max Auto Prepare=0;Auto Prepare Min Usages=7"));

        Assert.False(built.NoResetOnClose);
        Assert.Equal(0, built.MaxAutoPrepare);
        Assert.Equal(7, built.AutoPrepareMinUsages);
    }

    [Fact]
    public async Task OnPostgres_AStatementRunTwice_IsPreparedOnItsConnection()
    {
        var database = await PostgresTestServer.CreateDatabaseAsync("prepare");
        try
        {
            await using var connection = new NpgsqlConnection(PostgresConnectionString.For(database));
            await connection.OpenAsync();
            for (var i = 0; i < 2; i++)
            {
                await using var select = new NpgsqlCommand("SELECT count(*) FROM pg_class WHERE relname = $1", connection);
                select.Parameters.Add(new NpgsqlParameter { Value = "pg_type" });
                await select.ExecuteScalarAsync();
            }

            await using var prepared = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%relname = $1%'", connection);
            Assert.Equal(1L, await prepared.ExecuteScalarAsync());
        }
        finally
        {
            await PostgresTestServer.DropDatabaseAsync(database);
        }
    }
}
