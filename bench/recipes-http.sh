#!/usr/bin/env bash
# Times recipe PUTs over HTTP against a real `baton up` (SQLite, loopback): valid and hostile
# bodies, 100 requests each, and prints median / p95 / max in milliseconds (curl's time_total).
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG="${CONFIG:-Release}"
dotnet build src/Baton.Cli -c "$CONFIG" -nologo -v quiet >/dev/null
WORK="$(mktemp -d /tmp/baton-bench.XXXXXX)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
URL="http://127.0.0.1:$PORT"
TOKEN="bench-admin-token-0123456789abcdefghijkl"
BATON_BOOTSTRAP_TOKEN="$TOKEN" dotnet "src/Baton.Cli/bin/$CONFIG/net10.0/baton.dll" up --urls "$URL" --data-dir "$WORK/data" >"$WORK/baton.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do curl -fs "$URL/healthz/ready" >/dev/null 2>&1 && break; sleep 0.5; done

auth=(-H "Authorization: Bearer $TOKEN")
curl -fs "${auth[@]}" -H 'Content-Type: application/json' -d '{"key":"bench","name":"Bench"}' "$URL/api/projects" >/dev/null
curl -fs "${auth[@]}" -H 'Content-Type: application/json' -d '{"title":"Bench"}' "$URL/api/projects/bench/work-items" >/dev/null

python3 - "$WORK" <<'PY'
import sys, os
work = sys.argv[1]
cases = {
  "valid": "name: build\nenv: { A: \"1\" }\ntimeout: 15m\nsteps:\n  - name: restore\n    run: dotnet restore\n    timeout: 5m\n    retry: { attempts: 2, delay: 2s }\n",
  "billion-laughs": "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n" + "".join(f"{chr(98+i)}: &{chr(98+i)} [*{chr(97+i)},*{chr(97+i)},*{chr(97+i)},*{chr(97+i)},*{chr(97+i)},*{chr(97+i)},*{chr(97+i)},*{chr(97+i)},*{chr(97+i)}]\n" for i in range(8)),
  "deep-flow-10000": "steps: " + "[" * 10000 + "]" * 10000 + "\n",
  # Block nesting needs indentation that grows with depth; 400 levels fit under the size limit.
  "deep-block-400": "".join(" " * i + "a:\n" for i in range(400)),
  "max-size-255KiB": None,
  "oversize-10MB": "# " + "x" * (10 * 1024 * 1024) + "\n",
}
steps, size = [], 7
while size < 255 * 1024 - 100:
    step = f"  - name: s{len(steps)}\n    run: echo {'x' * 600}\n"
    steps.append(step)
    size += len(step)
cases["max-size-255KiB"] = "steps:\n" + "".join(steps[:-1])
for name, text in cases.items():
    with open(os.path.join(work, name + ".yml"), "w") as f:
        f.write(text)
PY

printf "%-18s %8s %8s %8s %8s  %s\n" case bytes median p95 max status
for file in "$WORK"/*.yml; do
  name="$(basename "$file" .yml)"
  times=()
  status=""
  for i in $(seq 1 100); do
    # A trailing comment keeps the valid body new each time, so every PUT stores a version.
    body="$file"
    if [[ "$name" == valid ]]; then cp "$file" "$WORK/v.yml"; echo "# $i" >>"$WORK/v.yml"; body="$WORK/v.yml"; fi
    out="$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "${auth[@]}" -H 'Content-Type: application/yaml' \
      --data-binary @"$body" -X PUT "$URL/api/projects/bench/work-items/WI-1/recipe")"
    status="${out% *}"
    times+=("${out#* }")
  done
  printf '%s\n' "${times[@]}" | python3 -c "
import sys
t = sorted(float(x) * 1000 for x in sys.stdin)
print('%-18s %8d %8.1f %8.1f %8.1f  %s' % ('$name', $(stat -c %s "$file"), t[len(t)//2], t[int(len(t)*0.95)-1], t[-1], '$status'))"
done
