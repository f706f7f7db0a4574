using System.Diagnostics;

namespace Baton.Bench.Shared;

/// <summary>What a warm-up did: the batches it ran, how long it took, and whether the JIT settled before the limit.</summary>
internal sealed record WarmUpReport(int Batches, TimeSpan Elapsed, bool Settled, long LastBatchMethods);

/// <summary>
/// One warm-up policy for Baton and its peer: run the workload in batches until a batch makes the JIT compile almost
/// nothing new. A long-running server is measured warm, and both sides get the same chance to warm.
/// </summary>
/// <remarks>
/// Measured on 2 cores: with 40 warm-up runs, Baton's server spent most of the next 35 s compiling (tiered
/// compilation with dynamic PGO recompiles each hot method twice), at 3 s of JIT time per 5 s, and the figure measured
/// the JIT more than Baton. The tiers settle once the hot paths have been called often enough, whatever the time.
/// </remarks>
internal static class WarmUp
{
    /// <summary>A batch that compiles fewer methods than this counts as settled: a few late tier-ups, not a cold path.</summary>
    public const int SettledMethods = 25;

    public static async Task<WarmUpReport> UntilJitSettlesAsync(Func<Task> batch, Func<Task<long>> compiledMethods, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var batches = 0;
        var compiled = await compiledMethods();
        while (true)
        {
            await batch();
            batches++;
            var now = await compiledMethods();
            var fresh = now - compiled;
            compiled = now;
            if (fresh < SettledMethods || clock.Elapsed >= limit)
            {
                return new WarmUpReport(batches, clock.Elapsed, fresh < SettledMethods, fresh);
            }
        }
    }
}
