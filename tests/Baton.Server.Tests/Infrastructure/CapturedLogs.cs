using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Baton.Server.Tests.Infrastructure;

/// <summary>Records every log entry with the values of the scopes it was written in.</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    public sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception, IReadOnlyDictionary<string, string?> Scope);

    /// <summary>The errors logged so far, with their exceptions: what a test prints when the server answered 500.</summary>
    public string Errors() => string.Join(Environment.NewLine, Entries
        .Where(e => e.Level >= LogLevel.Error)
        .Select(e => $"{e.Category}: {e.Message}{Environment.NewLine}{e.Exception}"));

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = new Dictionary<string, string?>();
            owner._scopes.ForEachScope((value, values) =>
            {
                if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var pair in pairs)
                    {
                        values[pair.Key] = pair.Value?.ToString();
                    }
                }
            }, scope);
            owner.Entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception, scope));
        }
    }
}
