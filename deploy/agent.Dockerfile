# syntax=docker/dockerfile:1
# A Baton agent (`baton agent`): claims runs from a server and executes their steps in this container.
#
#   docker build -f deploy/agent.Dockerfile -t baton-agent .           (from the repository root)
#   docker run -e BATON_SERVER=https://baton.example.com -e BATON_TOKEN=<agent token> baton-agent
#   docker run ... baton-agent --labels linux,docker --capacity 2 --work-dir /var/lib/baton-agent
#
# BATON_SERVER and BATON_TOKEN (a token with role 'agent', from POST /api/tokens) say where and as whom;
# labels, capacity, name and work directory are options (CMD below holds the defaults; arguments given
# to `docker run` or compose's `command:` replace them). Steps run as `bash -e -o pipefail -c`, so the
# image needs the tools your recipes call: build your own FROM this one and apt-get what they need
# (as root, then USER $APP_UID again).

# --- build: the SDK publishes the `baton` command (the same build as the server image) ---
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig ./
COPY src/Baton.Contracts/Baton.Contracts.csproj src/Baton.Contracts/
COPY src/Baton.Core/Baton.Core.csproj src/Baton.Core/
COPY src/Baton.Persistence/Baton.Persistence.csproj src/Baton.Persistence/
COPY src/Baton.Persistence.Sqlite/Baton.Persistence.Sqlite.csproj src/Baton.Persistence.Sqlite/
COPY src/Baton.Persistence.Postgres/Baton.Persistence.Postgres.csproj src/Baton.Persistence.Postgres/
COPY src/Baton.Server/Baton.Server.csproj src/Baton.Server/
COPY src/Baton.Agent/Baton.Agent.csproj src/Baton.Agent/
COPY src/Baton.Cli/Baton.Cli.csproj src/Baton.Cli/
RUN dotnet restore src/Baton.Cli
COPY src/ src/
RUN dotnet publish src/Baton.Cli -c Release --no-restore -o /app -nologo

# --- run: the ASP.NET Core runtime (the one `baton` executable needs it), as the non-root user ---
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS run
WORKDIR /app
COPY --from=build /app ./
# Run workspaces and the log spool (unacknowledged log batches survive a server outage there).
RUN mkdir -p /var/lib/baton-agent && chown "$APP_UID" /var/lib/baton-agent
VOLUME /var/lib/baton-agent
ENV DOTNET_NOLOGO=1
USER $APP_UID
# No HEALTHCHECK: an agent serves no port; it logs, retries and reconnects by itself, and the server
# shows it on /agents (idle, busy, lost, draining).
# On SIGTERM the agent drains: it takes no new run and lets running ones finish for up to 30 s, so give
# `docker stop` more than that (docker stop -t 45; compose: stop_grace_period).
ENTRYPOINT ["/app/baton", "agent"]
CMD ["--labels", "linux,docker", "--capacity", "1", "--work-dir", "/var/lib/baton-agent"]
