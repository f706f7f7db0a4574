using Baton.Persistence;
using Baton.Persistence.Storage;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace Baton.Server.Infrastructure.Protection;

/// <summary>
/// Puts Data Protection's key ring where <see cref="SecretsOptions"/> and the storage provider say, once the
/// options are known (the tests and the CLI set them after the builder was made), and encrypts its keys with
/// the configured key when there is one.
/// </summary>
internal sealed class KeyRingPlacement(IOptions<StorageOptions> storage, IOptions<SecretsOptions> secrets, IServiceProvider services,
    ILoggerFactory loggers) : IConfigureOptions<KeyManagementOptions>
{
    public const string KeysFolder = "keys";

    public void Configure(KeyManagementOptions options)
    {
        options.XmlRepository = Repository();
        if (secrets.Value.KeyMaterial() is { } key)
        {
            options.XmlEncryptor = new ConfiguredKeyXmlEncryptor(key);
        }
    }

    private IXmlRepository Repository()
    {
        var configured = secrets.Value.KeyRingDirectory;
        if (string.IsNullOrWhiteSpace(configured) && storage.Value.IsPostgres)
        {
            return new EntityFrameworkCoreXmlRepository<BatonDbContext>(services, loggers);
        }
        var directory = Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? Path.Combine(storage.Value.DataDirectory, KeysFolder) : configured);
        // Only the server's own user may read the keys.
        var created = OperatingSystem.IsWindows() ? Directory.CreateDirectory(directory)
            : Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new FileSystemXmlRepository(created, loggers);
    }
}
