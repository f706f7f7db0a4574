# syntax=docker/dockerfile:1
# A Baton agent: the native baton-agent (Native AOT; the same agent as `baton agent`), which claims runs
# from a server and executes their steps in this container. No .NET runtime in the image.
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

# --- build: the SDK compiles the agent ahead of time; Native AOT also needs a native toolchain
#     (clang, its default linker) and zlib's headers ---
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends clang zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig ./
COPY src/Baton.Contracts/Baton.Contracts.csproj src/Baton.Contracts/
COPY src/Baton.Core/Baton.Core.csproj src/Baton.Core/
COPY src/Baton.Agent/Baton.Agent.csproj src/Baton.Agent/
COPY src/Baton.Agent.Cli/Baton.Agent.Cli.csproj src/Baton.Agent.Cli/
RUN dotnet restore src/Baton.Agent.Cli -r linux-x64
COPY src/Baton.Contracts/ src/Baton.Contracts/
COPY src/Baton.Core/ src/Baton.Core/
COPY src/Baton.Agent/ src/Baton.Agent/
COPY src/Baton.Agent.Cli/ src/Baton.Agent.Cli/
RUN dotnet publish src/Baton.Agent.Cli -c Release -r linux-x64 --no-restore -o /app -nologo

# --- run: what a native .NET executable needs from the system (glibc, OpenSSL, CA certificates; no ICU:
#     the agent uses invariant globalization), on Debian, so bash is there for the steps; non-root user ---
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS run
WORKDIR /app
COPY --from=build /app/baton-agent ./
# Run workspaces and the log spool (unacknowledged log batches survive a server outage there).
RUN mkdir -p /var/lib/baton-agent && chown "$APP_UID" /var/lib/baton-agent
VOLUME /var/lib/baton-agent
USER $APP_UID
# No HEALTHCHECK: an agent serves no port; it logs, retries and reconnects by itself, and the server
# shows it on /agents (idle, busy, lost, draining).
# On SIGTERM the agent drains: it takes no new run and lets running ones finish for up to 30 s, so give
# `docker stop` more than that (docker stop -t 45; compose: stop_grace_period).
ENTRYPOINT ["/app/baton-agent"]
CMD ["--labels", "linux,docker", "--capacity", "1", "--work-dir", "/var/lib/baton-agent"]
