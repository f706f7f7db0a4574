using System.Globalization;
using System.Text.Json;
using Baton.Contracts.Agents;
using Baton.Contracts.Json;

namespace Baton.Agent.Logs;

/// <summary>
/// Batches on disk until the server acknowledges them, one file per batch named by its
/// sequence, so an outage or an agent restart loses nothing. Files are written to a temporary
/// name and renamed, so a crash mid-write leaves no half batch behind.
/// </summary>
public sealed class LogSpool(string directory)
{
    private const string Extension = ".batch.json";

    public string Directory { get; } = directory;

    /// <summary>Writes the batch; returns it as spooled, ready to send.</summary>
    public async Task<SpooledBatch> SaveAsync(LogBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathOf(batch.Seq);
        var temporary = path + ".tmp";
        var json = JsonSerializer.SerializeToUtf8Bytes(batch, AgentJsonContext.Wire.LogBatch);
        await File.WriteAllBytesAsync(temporary, json, cancellationToken);
        File.Move(temporary, path, overwrite: true);
        return new SpooledBatch(batch.Seq, json);
    }

    /// <summary>Batches still waiting for an acknowledgement, oldest first.</summary>
    public async Task<IReadOnlyList<LogBatch>> PendingAsync(CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }
        var batches = new List<LogBatch>();
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*" + Extension).Order(StringComparer.Ordinal))
        {
            await using var stream = File.OpenRead(file);
            batches.Add((await JsonSerializer.DeserializeAsync(stream, AgentJsonContext.Wire.LogBatch, cancellationToken))!);
        }
        return batches;
    }

    /// <summary>One spooled batch by its sequence.</summary>
    public async Task<SpooledBatch> LoadAsync(long seq, CancellationToken cancellationToken) =>
        new(seq, await File.ReadAllBytesAsync(PathOf(seq), cancellationToken));

    public void Acknowledge(long seq) => File.Delete(PathOf(seq));

    // Zero-padded so that ordinal file name order is sequence order.
    private string PathOf(long seq) => Path.Combine(Directory, seq.ToString("D15", CultureInfo.InvariantCulture) + Extension);
}
