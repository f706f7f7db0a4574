namespace Baton.Server.Ui.Common;

/// <summary>
/// A node as <see cref="DagView"/> draws it: its key (also its anchor for edges), a label, its state (the API's name,
/// which picks the colour) and that state in words (always written in the node, so colour is never the only sign).
/// </summary>
public sealed record DagNode(string Key, string Label, string State, string StateText, string? Href = null);

/// <summary>Which of the theme's status colours a state takes; the same families as the badges in baton.css.</summary>
public static class DagTones
{
    public static string Of(string state) => state switch
    {
        "succeeded" or "approved" => "ok",
        "failed" or "timed_out" or "rejected" or "cancelled" or "lost" => "fail",
        "running" or "claimed" or "started" => "run",
        "queued" or "pending_approval" or "proposed" or "waiting" or "pending" or "ready" => "wait",
        _ => "idle",
    };
}
