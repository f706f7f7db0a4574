using Baton.Server.Infrastructure.Signals;
using Microsoft.AspNetCore.Components;

namespace Baton.Server.Ui.Common;

/// <summary>
/// A page that refreshes itself: <see cref="LoadAsync"/> runs when the page opens, then again after each
/// <see cref="WaitAsync"/> ends (a signal, or the refresh interval), until the page is closed. A failed
/// refresh keeps the last good view and says so; the next one tries again.
/// </summary>
public abstract class LivePage : ComponentBase, IAsyncDisposable
{
    private readonly CancellationTokenSource _closed = new();
    private Task? _loop;

    /// <summary>Shown above the page while refreshes fail; null when the view is current.</summary>
    protected string? RefreshError { get; private set; }

    protected bool Loaded { get; private set; }

    protected CancellationToken Closed => _closed.Token;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    protected DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>How long to wait between refreshes when nothing signals a change.</summary>
    protected virtual TimeSpan RefreshInterval => TimeSpan.FromSeconds(5);

    protected abstract Task LoadAsync(CancellationToken cancellationToken);

    /// <summary>Waits until something may have changed; by default the refresh interval.</summary>
    protected virtual Task WaitAsync(CancellationToken cancellationToken) => DelayAsync(RefreshInterval, cancellationToken);

    /// <summary>A wait on the injected clock (what <see cref="WaitAsync"/> overrides combine with their signals).</summary>
    protected Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, Clock, cancellationToken);

    /// <summary>
    /// Lets a burst of changes settle for <paramref name="settle"/>, then waits for <paramref name="changed"/> (taken by the
    /// caller before the settle, so a change during it is not missed) until the refresh interval is up.
    /// </summary>
    protected async Task SettleThenWaitAsync(Task changed, TimeSpan settle, CancellationToken cancellationToken)
    {
        await DelayAsync(settle, cancellationToken);
        await SignalWait.ForAsync(changed, RefreshInterval - settle, Clock, cancellationToken);
    }

    protected override async Task OnParametersSetAsync()
    {
        await RefreshAsync();
        _loop ??= RefreshLoopAsync();
    }

    /// <summary>Loads now (after a change this page made, or a filter the person set).</summary>
    protected async Task RefreshAsync()
    {
        try
        {
            await LoadAsync(Closed);
            RefreshError = null;
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !Closed.IsCancellationRequested)
        {
            RefreshError = $"Could not refresh: {failure.Message}";
        }
        Loaded = true;
    }

    private async Task RefreshLoopAsync()
    {
        // Off the renderer's first pass: the loop starts after the page has shown its first view.
        await Task.Yield();
        while (!Closed.IsCancellationRequested)
        {
            try
            {
                await WaitAsync(Closed);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            // A wait may also end quietly when the page closes (SignalWait never throws): nothing is left to refresh.
            if (Closed.IsCancellationRequested)
            {
                return;
            }
            await InvokeAsync(async () =>
            {
                await RefreshAsync();
                StateHasChanged();
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        _closed.Dispose();
        GC.SuppressFinalize(this);
    }
}
