namespace Baton.Server.Infrastructure.Signals;

/// <summary>
/// The claim long polls waiting on this replica, woken one at a time: a new run is one run, and waking every
/// waiting agent for it made each try the claim and all but one find nothing (4.4 claim statements per run with
/// 4 agents, each a transaction; docs/BENCHMARKS.md). A woken waiter that finds nothing it may take (the run
/// wants other labels, or someone took it first) passes the wake-up on, at most once around the waiters the
/// pulse found, so a run that only some agents match still reaches one of them.
/// </summary>
public sealed class ClaimWakeups
{
    private readonly LinkedList<Ticket> _waiting = [];
    private readonly Lock _gate = new();
    private long _generation;

    /// <summary>
    /// Counts the pulses: a queue that had nothing for some labels at generation G has nothing new for them while it is
    /// still G, unless a claimer's transaction rolled back (see <c>AgentSightings.EmptyQueueTrust</c> for the bound).
    /// </summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Joins the queue; join before looking at the database, so a wake-up in between is not missed.</summary>
    public Ticket Join()
    {
        var ticket = new Ticket(this);
        lock (_gate)
        {
            ticket.Node = _waiting.AddLast(ticket);
        }
        return ticket;
    }

    /// <summary>Wakes the longest-waiting claim, which may pass it on to as many others as were waiting.</summary>
    public void WakeOne()
    {
        Interlocked.Increment(ref _generation);
        lock (_gate)
        {
            WakeFirst(_waiting.Count);
        }
    }

    /// <summary>Wakes every waiting claim (what another replica's pulse, or a gap in them, calls for).</summary>
    public void WakeAll()
    {
        Interlocked.Increment(ref _generation);
        lock (_gate)
        {
            while (_waiting.Count > 0)
            {
                WakeFirst(1);
            }
        }
    }

    internal void PassOn(int hops)
    {
        if (hops <= 0)
        {
            return;
        }
        lock (_gate)
        {
            WakeFirst(Math.Min(hops, _waiting.Count));
        }
    }

    private void WakeFirst(int hops)
    {
        if (_waiting.First is not { } first)
        {
            return;
        }
        _waiting.RemoveFirst();
        first.Value.Node = null;
        first.Value.Wake(hops);
    }

    private void Leave(Ticket ticket)
    {
        lock (_gate)
        {
            if (ticket.Node is { } node)
            {
                _waiting.Remove(node);
                ticket.Node = null;
            }
        }
    }

    /// <summary>One claim's place in the queue. Disposing it leaves the queue and hands on a wake-up it did not use.</summary>
    public sealed class Ticket(ClaimWakeups owner) : IDisposable
    {
        private readonly TaskCompletionSource<int> _woken = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _used;

        internal LinkedListNode<Ticket>? Node { get; set; }

        /// <summary>Completes with the hops left to pass on when this claim is woken.</summary>
        public Task<int> Woken => _woken.Task;

        /// <summary>The wake-up was acted on (looked at the database after it): nothing to hand on when leaving.</summary>
        public int Use()
        {
            _used = true;
            return _woken.Task.Result;
        }

        internal void Wake(int hops) => _woken.TrySetResult(hops);

        public void Dispose()
        {
            owner.Leave(this);
            if (_woken.Task.IsCompleted && !_used)
            {
                // Woken while it was busy claiming or giving up: someone else may need that wake-up.
                owner.PassOn(_woken.Task.Result);
            }
        }
    }
}
