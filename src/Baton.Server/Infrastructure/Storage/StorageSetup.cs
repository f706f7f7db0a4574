using Baton.Persistence.Storage;
using Baton.Server.Configuration;

namespace Baton.Server.Infrastructure.Storage;

public static class StorageSetup
{
    /// <summary>SQLite in the data directory or PostgreSQL, from configuration; migrated at start.</summary>
    public static WebApplicationBuilder AddBatonStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidated<StorageOptions>(options => options.Validate(), StorageOptions.Section);
        builder.Services.AddValidated<ServerOptions>(options => options.Validate())
            .Configure<IConfiguration>((options, configuration) => options.BootstrapToken = configuration[ServerOptions.BootstrapTokenKey]);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddBatonDbContext();
        builder.Services.AddHostedService<StorageStartup>();
        return builder;
    }
}
