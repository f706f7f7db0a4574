using Baton.Server;
using Baton.Server.Configuration;

// Standalone host (dotnet run --project src/Baton.Server); `baton up` and `baton server` use the same app.
var app = BatonServerApp.Build(BatonServerApp.CreateBuilder(CommandLineSettings.Parse(args)));
await app.RunAsync();

/// <summary>Entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
