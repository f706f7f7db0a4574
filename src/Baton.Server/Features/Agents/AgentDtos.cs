using Baton.Core.Agents;

namespace Baton.Server.Features.Agents;

public sealed record AgentDto(long Id, string Name, IReadOnlyList<string> Labels, int Capacity, int Running, string Version,
    AgentStatus Status, DateTimeOffset RegisteredAt, DateTimeOffset LastSeenAt);
