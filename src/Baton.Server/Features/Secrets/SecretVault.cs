using System.Globalization;
using System.Security.Cryptography;
using Baton.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Secrets;

/// <summary>
/// Encrypts and decrypts secret values with Data Protection. Each value's purpose names its project and
/// name, so a ciphertext copied onto another secret's row (or another project's) does not decrypt there.
/// </summary>
public sealed partial class SecretVault(IDataProtectionProvider provider, ILogger<SecretVault> logger)
{
    private const string Purpose = "Baton.Secrets.v1";

    public string Protect(long projectId, string name, string value) => For(projectId, name).Protect(value);

    /// <summary>
    /// Every secret of the project in clear, for a run and for masking. A value that no longer decrypts (the key
    /// ring was lost or replaced) is left out and logged: the run goes on without it and its step fails visibly,
    /// instead of every run of every project stopping at the claim.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> ReadAllAsync(BatonDbContext db, long projectId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.ProjectSecrets.AsNoTracking().Where(s => s.ProjectId == projectId)
            .Select(s => new { s.Name, s.ProtectedValue }).ToListAsync(cancellationToken);
        var values = new Dictionary<string, string>(rows.Count, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            try
            {
                values[row.Name] = For(projectId, row.Name).Unprotect(row.ProtectedValue);
            }
            catch (CryptographicException exception)
            {
                LogUnreadable(exception, row.Name, projectId);
            }
        }
        return values;
    }

    private IDataProtector For(long projectId, string name) =>
        provider.CreateProtector(Purpose, projectId.ToString(CultureInfo.InvariantCulture), name);

    [LoggerMessage(Level = LogLevel.Error, Message = "Secret {Name} of project {ProjectId} cannot be decrypted (was the key ring lost or Secrets:Key changed?); runs get it no more until it is set again")]
    private partial void LogUnreadable(Exception exception, string name, long projectId);
}
