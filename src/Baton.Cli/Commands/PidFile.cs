namespace Baton.Cli.Commands;

/// <summary>`baton up` records its pid in the data directory so `make down` can stop it.</summary>
internal sealed class PidFile
{
    public const string FileName = "baton.pid";
    private readonly string _path;

    private PidFile(string path) => _path = path;

    public static PidFile Write(string dataDirectory)
    {
        var directory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        File.WriteAllText(path, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new PidFile(path);
    }

    public void Delete() => File.Delete(_path);
}
