using System.Text.Json;

namespace Baton.Cli.Tests.Client;

/// <summary>`baton login` saves the server, token and default project for later commands, readable by the user alone.</summary>
[Collection(ClientTestGroup.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LoginTests(ClientServer server)
{
    [Fact]
    public async Task Login_ChecksTheToken_AndSavesItOwnerOnly_ForLaterCommands()
    {
        var project = await server.ProjectAsync();
        var shell = ClientServer.ShellWithout();
        var configPath = shell.ConfigPath;

        var login = await shell.RunAsync("login", "--server", server.Url, "--token", ClientServer.AdminToken, "--project", project);
        var whoami = await shell.RunAsync("whoami", "-o", "json");
        var runs = await shell.RunAsync("runs", "list", "-o", "json");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("as bootstrap-admin (admin)", login.Stdout);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(configPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(configPath)!));
        using (var saved = JsonDocument.Parse(await File.ReadAllTextAsync(configPath)))
        {
            Assert.Equal(project, saved.RootElement.GetProperty("project").GetString());
            Assert.Equal(ClientServer.AdminToken, saved.RootElement.GetProperty("token").GetString());
        }
        Assert.True(whoami.ExitCode == 0, whoami.ToString());
        Assert.Equal(("bootstrap-admin", "admin"), (whoami.Json().GetProperty("name").GetString(), whoami.Json().GetProperty("role").GetString()));
        Assert.True(runs.ExitCode == 0, runs.ToString());
        Assert.Equal(JsonValueKind.Array, runs.Json().GetProperty("items").ValueKind);
    }

    [Fact]
    public async Task TheSavedToken_IsNeverSentToAnotherServer()
    {
        var shell = ClientServer.ShellWithout();
        Assert.Equal(0, (await shell.RunAsync("login", "--server", server.Url, "--token", ClientServer.AdminToken)).ExitCode);

        var elsewhere = await shell.RunAsync("runs", "list", "--server", "http://127.0.0.1:1");

        Assert.True(elsewhere.ExitCode == 5, elsewhere.ToString());
        Assert.Contains("no token for http://127.0.0.1:1/", elsewhere.Stderr);
    }

    [Fact]
    public async Task Login_WithABadToken_SavesNothing_AndExitsFive()
    {
        var shell = ClientServer.ShellWithout();

        var result = await shell.RunAsync("login", "--server", server.Url, "--token", "not-a-real-token-0123456789abcdefghij");

        Assert.True(result.ExitCode == 5, result.ToString());
        Assert.False(File.Exists(shell.ConfigPath));
    }

    [Fact]
    public async Task Login_ReadsTheTokenFromStdin_AndLogoutForgetsIt()
    {
        var shell = ClientServer.ShellWithout();

        var login = await shell.RunAsync(["login", "--server", server.Url, "--token-stdin"], async (process, _) =>
        {
            await process.StandardInput.WriteLineAsync(ClientServer.AdminToken);
            process.StandardInput.Close();
        });
        var logout = await shell.RunAsync("logout", "-o", "json");
        var after = await shell.RunAsync("whoami");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.True(logout.Json().GetProperty("loggedOut").GetBoolean(), logout.ToString());
        Assert.True(after.ExitCode == 5, after.ToString());
    }
}
