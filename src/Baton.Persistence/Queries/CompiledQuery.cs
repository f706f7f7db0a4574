using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Baton.Persistence.Queries;

/// <summary>
/// A compiled query (EF.CompileAsyncQuery) for hot paths, which skips the translation-cache lookup
/// every LINQ query pays. EF Core binds a compiled query to the first model it runs against, so one
/// is compiled per model: a process normally has one, the test suite has SQLite and PostgreSQL side by side.
/// </summary>
public sealed class CompiledQuery<TQuery>(Func<TQuery> compile) where TQuery : class
{
    private readonly ConcurrentDictionary<IModel, TQuery> _byModel = new();

    public TQuery For(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return _byModel.GetOrAdd(db.Model, _ => compile());
    }
}
