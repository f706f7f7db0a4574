#!/usr/bin/env bash
# Every test, on SQLite and on a real PostgreSQL. Installs what the tests need when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null; then
  echo "test: the .NET SDK (dotnet) is required" >&2
  exit 1
fi
# promtool (Prometheus's linter) checks the /metrics exposition; Debian ships it in the prometheus package.
scripts/ensure-package.sh prometheus promtool
# The UI tests drive Debian's Chromium (never a browser a test tool downloads). Missing, it fails the run under CI
# and leaves the UI tests out elsewhere (below), so its installer's failure is not the end here.
scripts/ensure-package.sh chromium /usr/bin/chromium || true
lanes=()
if [[ ! -x /usr/bin/chromium ]]; then
  if [[ "${CI:-}" == "true" ]]; then
    echo "test: /usr/bin/chromium is missing and could not be installed; the UI tests need it (CI may skip nothing)" >&2
    exit 1
  fi
  echo "test: WARNING: /usr/bin/chromium is missing (install Debian's chromium package); the UI tests are left out of this run" >&2
  lanes=(--no-ui)
fi
RESULTS="$(mktemp -d /tmp/baton-test.XXXXXX)"
dotnet build Baton.slnx -c "${CONFIG:-Debug}" -nologo -v quiet
# The native baton-agent, published before the tests rather than by them: its compiler takes both cores for most of a
# minute, and beside the other test projects it slowed them past their start-up deadlines. Its libraries were just built.
export BATON_NATIVE_AGENT="$RESULTS/native/baton-agent"
dotnet publish src/Baton.Agent.Cli -c "${CONFIG:-Debug}" -r linux-x64 -o "$RESULTS/native" -nologo -v quiet
status=0
scripts/with-postgres.sh scripts/test-lanes.sh "$RESULTS" "${lanes[@]}" || status=$?
# The closing lines: every failed test by name, then the counts over every project (each prints its own above).
scripts/trx-summary.sh "$RESULTS" || status=1
rm -rf "$RESULTS"
exit "$status"
