using System.Collections.Concurrent;
using Baton.Core.Access;
using Baton.Server.Infrastructure.Signals;

namespace Baton.Server.Infrastructure.Auth;

/// <summary>
/// Tokens by secret hash, remembered for <see cref="Lifetime"/>, so that a busy agent's requests
/// (several per run) do not each read the token table. A revocation forgets the token at once on
/// this replica and, through <see cref="RunSignals"/> and the PostgreSQL bridge, on the others;
/// should a notification be lost, a revoked token is refused at the latest when its entry ages
/// out. Expiry is checked on every request from the remembered row.
/// </summary>
public sealed class TokenCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    public TokenCache(RunSignals signals, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(signals);
        _clock = clock;
        signals.TokenRevoked += Forget;
    }

    public bool TryGet(string hash, out KnownToken token)
    {
        if (_entries.TryGetValue(hash, out var entry) && _clock.GetUtcNow() - entry.At < Lifetime)
        {
            token = entry.Token;
            return true;
        }
        token = null!;
        return false;
    }

    public void Remember(string hash, KnownToken token) => _entries[hash] = new Entry(token, _clock.GetUtcNow());

    /// <summary>Forgets one token (by id), or every token for id 0 (when revocations may have been missed).</summary>
    public void Forget(long tokenId)
    {
        foreach (var (hash, entry) in _entries)
        {
            if (tokenId == 0 || entry.Token.Id == tokenId)
            {
                _entries.TryRemove(hash, out _);
            }
        }
    }

    private sealed record Entry(KnownToken Token, DateTimeOffset At);
}

/// <summary>What a request needs of its token.</summary>
public sealed record KnownToken(long Id, string Name, Role Role, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt);
