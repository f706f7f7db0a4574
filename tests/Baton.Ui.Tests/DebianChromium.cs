using Microsoft.Playwright;

namespace Baton.Ui.Tests;

/// <summary>
/// The machine's Chromium (Debian's package), never a browser Playwright downloads. `make test` installs it
/// when it is missing and it may; a run without it fails here, saying what to install.
/// </summary>
public static class DebianChromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static BrowserTypeLaunchOptions LaunchOptions()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium package (apt-get install chromium); "
                + "`make test` does so when it runs as root with apt");
        }
        return new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Root in a container needs --no-sandbox; the rest keep Chromium off a network it has no business on
            // (this machine's is closed, and each refused connection slows the start).
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            ],
        };
    }
}
