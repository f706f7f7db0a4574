namespace Baton.Server.Ui;

/// <summary>
/// A circuit lives as long as its page is open, far longer than a DbContext should: each query or command a
/// page runs gets its own scope (its own DbContext and commands), disposed when it is done.
/// </summary>
public sealed class UiScopes(IServiceScopeFactory scopes)
{
    public async Task<TResult> RunAsync<TService, TResult>(Func<TService, Task<TResult>> work) where TService : notnull
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>For work that needs more than one service of the same scope.</summary>
    public async Task<TResult> RunAsync<TResult>(Func<IServiceProvider, Task<TResult>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }
}
