# syntax=docker/dockerfile:1
# The Baton server (`baton server`): API, web UI, live streams, scheduler and lease reaper; no agents.
#
#   docker build -f deploy/server.Dockerfile -t baton-server .        (from the repository root)
#   docker run -p 8080:8080 -v baton-data:/var/lib/baton baton-server  (SQLite in the volume: one replica)
#
# For PostgreSQL (one or many replicas) set BATON_Storage__Provider=postgres and
# BATON_Storage__ConnectionString; deploy/docker-compose.yml does. Every setting is a BATON_
# environment variable (docs/operations.md); the first admin token is BATON_BOOTSTRAP_TOKEN when
# set, otherwise generated and printed once in the container's log.

# --- build: the SDK publishes the `baton` command, framework-dependent (the runtime image has .NET) ---
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so a code change does not download packages again.
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
# The publish also copies the web UI's static assets (wwwroot/, Baton.Server.staticwebassets.endpoints.json)
# beside baton.dll (see the packaging block of src/Baton.Cli/Baton.Cli.csproj).
RUN dotnet publish src/Baton.Cli -c Release --no-restore -o /app -nologo

# --- run: the ASP.NET Core runtime image, as its non-root user ---
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS run
WORKDIR /app
COPY --from=build /app ./
# The data directory: the SQLite file and the key ring when Storage:Provider is sqlite; with PostgreSQL
# only local state (the key ring then lives in the database). Owned by the image's non-root user.
RUN mkdir -p /var/lib/baton && chown "$APP_UID" /var/lib/baton
VOLUME /var/lib/baton
ENV BATON_Urls=http://+:8080 \
    BATON_Storage__DataDirectory=/var/lib/baton \
    DOTNET_NOLOGO=1
EXPOSE 8080
# $APP_UID is the image's own unprivileged user (app, uid 1654).
USER $APP_UID
# Ready means the database answers (GET /healthz/ready is 200, else 503). The aspnet image has no curl or
# wget; rather than install one (more packages to patch, and a downloader left in the image), the check
# speaks HTTP through bash's /dev/tcp. On an image without bash (chiseled), install curl instead:
#   HEALTHCHECK CMD curl -fsS http://127.0.0.1:8080/healthz/ready || exit 1
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz/ready HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# SIGTERM (docker stop) shuts the server down gracefully; migrations run at start (EF Core's lock makes
# replicas that start together migrate once).
ENTRYPOINT ["/app/baton", "server"]
