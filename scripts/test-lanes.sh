#!/usr/bin/env bash
# Runs the built test projects in two lanes at once, one project at a time in each, every line of output marked with
# its lane. Usage: test-lanes.sh RESULTS_DIR [--no-ui]
#
# Why two explicit lanes rather than `dotnet test Baton.slnx`: on 2 cores that runs two projects at a time in solution
# order, which put the UI tests (waiting on a browser more than working: 75 s of CPU in 141 s) last, after the
# CPU-heavy server tests, on the longest path; the tests took 7 min 21 s. Here the waiting-bound UI tests start first,
# beside the CPU-heavy CLI tests, and each lane's projects add up to about the same time (in one run, 2026-12-04: UI
# 187 s then server 178 s; CLI 240 s, chaos 86 s, then the rest 30 s).
set -euo pipefail
cd "$(dirname "$0")/.."

results="$1"
ui=(Baton.Ui.Tests)
[[ "${2:-}" == "--no-ui" ]] && ui=()
lane_a=("${ui[@]}" Baton.Server.Tests)
lane_b=(Baton.Cli.Tests Baton.Chaos.Tests Baton.Agent.Tests Baton.Persistence.Tests Baton.Core.Tests Baton.Contracts.Tests)

# A test project in no lane would never run; fail rather than pass without it.
for csproj in tests/*/*.Tests.csproj; do
  project="$(basename "$csproj" .csproj)"
  if [[ ! " ${lane_a[*]} ${lane_b[*]} Baton.Ui.Tests " == *" $project "* ]]; then
    echo "test-lanes: $project is in no lane; add it to one in $0" >&2
    exit 1
  fi
done

# Every project of the lane runs even after one fails, so one failure does not hide another.
run_lane() {
  local status=0 project
  for project in "$@"; do
    local started=$SECONDS
    dotnet test "tests/$project" -c "${CONFIG:-Debug}" --no-build -nologo \
      --logger "trx;LogFileName=$project.trx" --results-directory "$results" || status=1
    echo "test-lanes: $project took $((SECONDS - started)) s"
  done
  return "$status"
}

# sed -u passes each line on as it comes, so the two lanes' output interleaves by line, not by buffer.
run_lane "${lane_a[@]}" 2>&1 | sed -u 's/^/[lane a] /' &
lane_a_pid=$!
run_lane "${lane_b[@]}" 2>&1 | sed -u 's/^/[lane b] /' &
lane_b_pid=$!

status=0
wait "$lane_a_pid" || status=1
wait "$lane_b_pid" || status=1
exit "$status"
