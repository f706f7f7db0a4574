using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baton.Ui.Tests.Session;

[Collection(UiTestGroup.Name)]
public sealed class LoginTests(UiServer server)
{
    [Fact]
    public async Task APageWithoutSession_SendsToLogin_AndLoggingInComesBack()
    {
        await using var ui = await server.OpenAsync();
        var login = await ui.Page.GotoAsync("/runs");
        Assert.Equal("/login?returnUrl=%2Fruns", new Uri(ui.Page.Url).PathAndQuery);
        // No inline script may run on a page, and no other site may frame it.
        var policy = (await login!.AllHeadersAsync())["content-security-policy"];
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);

        await ui.Page.GetByLabel("Token").FillAsync("not-a-token");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(ui.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not valid");
        ui.ForgetErrors();

        await ui.Page.GetByLabel("Token").FillAsync(await server.TokenAsync("viewer"));
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await ui.Page.WaitForURLAsync("**/runs");
        await Expect(ui.Page.Locator("main h1")).ToHaveTextAsync("Runs");
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task TheFirstStartLink_LogsStraightIn_AndLeavesNoTokenInTheAddress()
    {
        await using var ui = await server.OpenAsync();
        await ui.Page.GotoAsync($"/login#token={UiServer.AdminToken}");
        await Expect(ui.Page.Locator("main h1")).ToHaveTextAsync("Dashboard");
        Assert.Equal("/", new Uri(ui.Page.Url).PathAndQuery);
        Assert.DoesNotContain(UiServer.AdminToken, ui.Page.Url, StringComparison.Ordinal);
        var cookies = await ui.Context.CookiesAsync();
        Assert.Contains(cookies, c => c.Name == "baton.session" && c.HttpOnly && c.SameSite == SameSiteAttribute.Strict);
    }

    [Fact]
    public async Task LoggingOut_EndsTheSession()
    {
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("viewer"));
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await ui.Page.WaitForURLAsync("**/login");
        await ui.Page.GotoAsync("/");
        Assert.StartsWith("/login", new Uri(ui.Page.Url).AbsolutePath, StringComparison.Ordinal);
    }
}
