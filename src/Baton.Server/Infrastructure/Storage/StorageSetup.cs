using Baton.Persistence.Storage;
using Baton.Server.Configuration;
using Microsoft.Extensions.Options;

namespace Baton.Server.Infrastructure.Storage;

public static class StorageSetup
{
    /// <summary>SQLite in the data directory or PostgreSQL, from configuration; migrated at start.</summary>
    public static WebApplicationBuilder AddBatonStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        builder.Services.AddOptions<ServerOptions>()
            .Configure<IConfiguration>((options, configuration) => options.BootstrapToken = configuration[ServerOptions.BootstrapTokenKey])
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddBatonDbContext();
        builder.Services.AddHostedService<StorageStartup>();
        return builder;
    }

    private sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
    {
        public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
            options.Validate() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }

    private sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
    {
        public ValidateOptionsResult Validate(string? name, ServerOptions options) =>
            options.Validate() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
