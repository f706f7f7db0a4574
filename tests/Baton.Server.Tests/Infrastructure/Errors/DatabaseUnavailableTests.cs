using System.Net.Sockets;
using System.Text.Json;
using Baton.Server.Infrastructure.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Baton.Server.Tests.Infrastructure.Errors;

/// <summary>A request that found the database unreachable answers 503 with Retry-After; other database errors stay 500s.</summary>
public sealed class DatabaseUnavailableTests
{
    private static async Task<(bool Handled, HttpContext Context, JsonElement? Body)> HandleAsync(Exception exception)
    {
        using var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "POST";
        context.Request.Path = "/api/projects/shop/exec";
        using var body = new MemoryStream();
        context.Response.Body = body;
        var handler = new DatabaseUnavailableExceptionHandler(services.GetRequiredService<Microsoft.AspNetCore.Http.IProblemDetailsService>(),
            NullLogger<DatabaseUnavailableExceptionHandler>.Instance);

        var handled = await handler.TryHandleAsync(context, exception, CancellationToken.None);

        return (handled, context, body.Length == 0 ? null : JsonDocument.Parse(body.ToArray()).RootElement.Clone());
    }

    [Fact]
    public async Task AConnectionFailure_EvenWrappedByEf_Answers503_WithRetryAfter_AndSaysNothingWasChanged()
    {
        var refused = new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));

        var (handled, context, body) = await HandleAsync(new DbUpdateException("An error occurred while saving the entity changes.", refused));

        Assert.True(handled);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal(DatabaseUnavailableExceptionHandler.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            context.Response.Headers.RetryAfter.ToString());
        Assert.Equal("Database unavailable", body!.Value.GetProperty("title").GetString());
        Assert.Contains("nothing was changed", body.Value.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConstraintViolation_IsNotTakenForAnOutage()
    {
        var duplicate = new PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation);

        var (handled, context, _) = await HandleAsync(new DbUpdateException("An error occurred while saving the entity changes.", duplicate));

        Assert.False(handled);
        Assert.NotEqual(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
    }

    [Fact]
    public async Task AnExceptionWithNoDatabaseInIt_IsLeftToTheNextHandler()
    {
        var (handled, _, _) = await HandleAsync(new InvalidOperationException("something else"));

        Assert.False(handled);
    }
}
