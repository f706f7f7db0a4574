using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baton.Ui.Tests.Projects;

[Collection(UiTestGroup.Name)]
public sealed class VisionTests(UiServer server)
{
    [Fact]
    public async Task TheDiffBetweenTwoVersions_MarksAddedAndRemovedLines()
    {
        var key = await server.ProjectAsync(UiArrange.Recipe);
        // The project starts at version 1 ("Ship small changes safely.").
        await UiServer.Json(await server.Api.PutAsJsonAsync($"/api/projects/{key}/vision",
            new { text = "Ship small changes safely.\nEvery change is reviewed.\nDeploys are boring." }));
        await UiServer.Json(await server.Api.PutAsJsonAsync($"/api/projects/{key}/vision",
            new { text = "Ship small changes safely.\nDeploys are boring.\nRollbacks take a minute." }));
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("viewer"), $"/projects/{key}");

        await Expect(ui.Page.Locator("[data-vision-current]")).ToContainTextAsync("Rollbacks take a minute.");
        await Expect(ui.Page.GetByLabel("From version")).ToHaveValueAsync("2");
        await Expect(ui.Page.GetByLabel("To version")).ToHaveValueAsync("3");
        await Expect(ui.Page.Locator("[data-diff='removed']")).ToHaveTextAsync(["−removed: Every change is reviewed."]);
        await Expect(ui.Page.Locator("[data-diff='added']")).ToHaveTextAsync(["+added: Rollbacks take a minute."]);

        await ui.Page.GetByLabel("From version").SelectOptionAsync("1");
        await Expect(ui.Page.Locator("[data-diff='added']")).ToHaveTextAsync(["+added: Deploys are boring.", "+added: Rollbacks take a minute."]);
        await Expect(ui.Page.Locator("[data-diff='removed']")).ToHaveCountAsync(0);
        // A viewer may read but not write a version.
        await Expect(ui.Page.GetByLabel("Vision text")).ToHaveCountAsync(0);
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task AWriter_SavesANewVersion_FromThePage()
    {
        var key = await server.ProjectAsync(UiArrange.Recipe);
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("maintainer"), $"/projects/{key}");

        await ui.Page.GetByLabel("Vision text").FillAsync("Ship small changes safely.\nMeasure what ships.");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save as version 2" }).ClickAsync();

        await Expect(ui.Page.Locator("[data-diff='added']")).ToHaveTextAsync(["+added: Measure what ships."]);
        var current = await UiServer.Json(await server.Api.GetAsync($"/api/projects/{key}/vision"));
        Assert.Equal(2, current.GetProperty("version").GetInt32());
        Assert.Empty(ui.Errors);
    }
}
