using Baton.Server.Configuration;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Baton.Server.Infrastructure.Protection;

public static class ProtectionSetup
{
    /// <summary>
    /// ASP.NET Data Protection for secrets (and the UI's cookies): one application name, so every replica reads what
    /// another wrote, with the key ring placed by <see cref="KeyRingPlacement"/>.
    /// </summary>
    public static WebApplicationBuilder AddBatonDataProtection(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidated<SecretsOptions>(options => options.Validate(), SecretsOptions.Section);
        builder.Services.AddDataProtection().SetApplicationName("Baton");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>, KeyRingPlacement>();
        return builder;
    }
}
