using System.Runtime.InteropServices;

namespace Baton.Agent.Processes;

/// <summary>Finds a program the way bash does for a command word: a path as it is, else the first match on PATH.</summary>
internal static unsafe partial class Executables
{
    private const int ExecuteAccess = 1; // X_OK

    /// <summary>
    /// <paramref name="command"/> as bash names the program it finds (the word itself when it has a slash, else the first
    /// PATH entry holding it, joined as written), or null when bash would not find it (it then says so and exits 127).
    /// Relative names are checked against <paramref name="directory"/>, the step's working directory.
    /// </summary>
    public static string? Find(string command, string? searchPath, string directory)
    {
        if (command.Contains('/', StringComparison.Ordinal))
        {
            return IsExecutable(Path.GetFullPath(command, directory)) ? command : null;
        }
        if (searchPath is null)
        {
            return null;
        }
        foreach (var entry in searchPath.Split(':'))
        {
            var named = (entry.Length == 0 ? "." : entry).TrimEnd('/') + "/" + command;
            if (IsExecutable(Path.GetFullPath(named, directory)))
            {
                return named;
            }
        }
        return null;
    }

    /// <summary>The directory with every symbolic link resolved, as getcwd(3) gives it (bash's PWD when none is inherited).</summary>
    public static string Physical(string directory)
    {
        var resolved = RealPath(directory, 0);
        if (resolved == 0)
        {
            return directory;
        }
        try
        {
            return Marshal.PtrToStringUTF8(resolved) ?? directory;
        }
        finally
        {
            NativeMemory.Free((void*)resolved);
        }
    }

    /// <summary>
    /// A file this process may execute that the kernel runs itself: an ELF binary or a script with a #! line. A file
    /// without either is left to bash, which runs it as a bash script where exec(2) would fail or fall back to sh.
    /// </summary>
    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path) || CanAccess(path, ExecuteAccess) != 0)
        {
            return false;
        }
        Span<byte> start = stackalloc byte[4];
        try
        {
            using var file = File.OpenRead(path);
            var read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            return (read >= 2 && start[0] == '#' && start[1] == '!') || (read == 4 && start is [0x7f, (byte)'E', (byte)'L', (byte)'F']);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // access(2), as bash asks: whether this user may execute it (root may if any execute bit is set).
    [LibraryImport("libc", EntryPoint = "access", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int CanAccess(string path, int mode);

    // realpath(3) with no buffer: it allocates the answer with malloc, which NativeMemory.Free releases.
    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint RealPath(string path, nint resolved);
}
