using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Baton.Persistence.Storage;

/// <summary>
/// Turns off EF Core's automatic savepoints in every transaction Baton begins. Inside a transaction EF Core wraps each
/// SaveChanges in <c>SAVEPOINT</c> and <c>RELEASE SAVEPOINT</c> so that a failed save can be undone alone; on PostgreSQL
/// those are two more round trips per save (a run's creation saves twice: four of its eleven). No Baton transaction goes
/// on after a failed save: the failure leaves the method and the transaction is rolled back whole as it is disposed, so
/// the savepoint bought nothing. A transaction that means to go on after a failure must take its own savepoint.
/// </summary>
/// <remarks>
/// Set at each transaction's start rather than once per context: the context pool resets
/// <see cref="Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade.AutoSavepointsEnabled"/> to true whenever a
/// context goes back to it.
/// </remarks>
internal sealed class NoAutoSavepoints : DbTransactionInterceptor
{
    public static NoAutoSavepoints Instance { get; } = new();

    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        TurnOff(eventData);
        return result;
    }

    public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData,
        DbTransaction result, CancellationToken cancellationToken = default)
    {
        TurnOff(eventData);
        return ValueTask.FromResult(result);
    }

    private static void TurnOff(TransactionEndEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            context.Database.AutoSavepointsEnabled = false;
        }
    }
}
