namespace Baton.Persistence.Storage;

/// <summary>
/// Funnels hot-path write transactions through one async lock when the store is SQLite.
/// SQLite admits one writer at a time and its busy handler waits by sleeping in growing steps
/// (up to 100 ms each), so writers that collide inside one process are far slower than writers
/// that queue. PostgreSQL has row locks and needs no funnel: the gate is open.
/// </summary>
public sealed class WriteGate(bool serialize) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    public async ValueTask<Entered> EnterAsync(CancellationToken cancellationToken)
    {
        if (!serialize)
        {
            return default;
        }
        await _lock.WaitAsync(cancellationToken);
        return new Entered(_lock);
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>Leaves the gate when disposed (a no-op for an open gate).</summary>
    public readonly struct Entered(SemaphoreSlim? held) : IDisposable
    {
        public void Dispose() => held?.Release();
    }
}
