using Microsoft.AspNetCore.Components.Web;

namespace Baton.Server.Ui;

/// <summary>How the live pages render.</summary>
public static class UiRenderMode
{
    /// <summary>
    /// Interactive on the server, without prerendering: a page shows its data once its circuit is connected, so
    /// what a person (or a test) sees is already live, and each query runs once per visit, not once more for a prerender.
    /// </summary>
    public static readonly InteractiveServerRenderMode Live = new(prerender: false);
}
