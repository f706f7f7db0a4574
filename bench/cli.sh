#!/usr/bin/env bash
# How long a `baton` client command takes, start to exit, against a real `baton up` (SQLite, loopback):
# hyperfine over the given executable (default: the Release build via dotnet) and curl for the same read.
#   bench/cli.sh                            # dotnet src/Baton.Cli/bin/Release/net10.0/baton.dll
#   bench/cli.sh dist/linux-x64/baton       # the single file from `make publish`
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "bench/cli.sh needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
dotnet build src/Baton.Cli -c Release -nologo -v quiet >/dev/null
BATON="${1:-dotnet $PWD/src/Baton.Cli/bin/Release/net10.0/baton.dll}"
WORK="$(mktemp -d /tmp/baton-bench-cli.XXXXXX)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
URL="http://127.0.0.1:$PORT"
TOKEN="bench-admin-token-0123456789abcdefghijkl"
BATON_BOOTSTRAP_TOKEN="$TOKEN" dotnet src/Baton.Cli/bin/Release/net10.0/baton.dll up --urls "$URL" --data-dir "$WORK/data" --agents 1 \
  >"$WORK/baton.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do curl -fs "$URL/healthz/ready" >/dev/null 2>&1 && break; sleep 0.5; done

export BATON_SERVER="$URL" BATON_TOKEN="$TOKEN" BATON_CONFIG="$WORK/config.json" BATON_PROJECT=bench
printf 'steps:\n  - name: hi\n    run: echo hi\n' >"$WORK/hi.yml"
$BATON projects create bench --name Bench --label local >/dev/null
$BATON exec "$WORK/hi.yml" --follow >/dev/null 2>&1
hyperfine -N --warmup 2 --runs 20 \
  "$BATON recipe validate $WORK/hi.yml" \
  "$BATON runs list -o json" \
  "$BATON runs list" \
  "$BATON exec $WORK/hi.yml --follow -o json" \
  "curl -s -H 'Authorization: Bearer $TOKEN' $URL/api/runs?project=bench"
