#!/usr/bin/env bash
# The closing lines of a test run, over every project's TRX file in RESULTS_DIR: each failed test's name with the
# first lines of its message, then one count line. Usage: trx-summary.sh RESULTS_DIR
#
# Why the failures are repeated here: each project prints them where they happen, but the two lanes interleave, and a
# CI log is often read from its tail; the names belong in the last lines.
set -euo pipefail

results="$1"
passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [[ -e "$trx" ]] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx")"
  passed=$((passed + $(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")))
  failed=$((failed + $(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")))
  skipped=$((skipped + $(sed -E 's/.* notExecuted="([0-9]+)".*/\1/' <<<"$counters")))
  # One record per test result; a failed one names the test in its opening tag and holds <Message>…</Message>.
  awk -v project="$(basename "$trx" .trx)" '
    function unescape(text) {
      gsub(/&quot;/, "\"", text); gsub(/&apos;/, "'\''", text)
      gsub(/&lt;/, "<", text); gsub(/&gt;/, ">", text); gsub(/&amp;/, "\\&", text)
      return text
    }
    BEGIN { RS = "<UnitTestResult " }
    /^[^>]*outcome="Failed"/ {
      name = $0; sub(/.*testName="/, "", name); sub(/".*/, "", name)
      message = ""
      if (match($0, /<Message>[^<]*<\/Message>/)) message = substr($0, RSTART + 9, RLENGTH - 19)
      printf "FAILED %s: %s\n", project, unescape(name)
      lines = split(unescape(message), line, "\n")
      for (i = 1; i <= lines && i <= 6; i++) printf "    %s\n", line[i]
    }' "$trx"
done
echo "$passed passed, $failed failed, $skipped skipped"
