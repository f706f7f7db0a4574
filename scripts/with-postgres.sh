#!/usr/bin/env bash
# Runs a command with BATON_TEST_POSTGRES set to a PostgreSQL connection string: the server
# already named by BATON_TEST_POSTGRES, or a throwaway cluster in a temp directory, started
# on a free port and removed afterwards. No PostgreSQL here is an error, never a skip.
set -euo pipefail

if [[ -n "${BATON_TEST_POSTGRES:-}" ]]; then
  exec "$@"
fi

find_bin() {
  command -v "$1" 2>/dev/null || ls /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1
}

INITDB="$(find_bin initdb)"
if [[ -z "$INITDB" && "$(id -u)" == "0" ]] && command -v apt-get >/dev/null; then
  echo "with-postgres: installing PostgreSQL (apt-get install postgresql)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  INITDB="$(find_bin initdb)"
fi
if [[ -z "$INITDB" ]]; then
  echo "with-postgres: PostgreSQL (initdb) not found; install it or set BATON_TEST_POSTGRES" >&2
  exit 1
fi
PG_CTL="$(dirname "$INITDB")/pg_ctl"
[[ -x "$PG_CTL" ]] || PG_CTL="$(find_bin pg_ctl)"

DIR="$(mktemp -d /tmp/baton-pg.XXXXXX)"
RUN=()
if [[ "$(id -u)" == "0" ]]; then
  # PostgreSQL refuses to run as root.
  chown postgres "$DIR"
  RUN=(runuser -u postgres --)
fi
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

stop() {
  "${RUN[@]}" "$PG_CTL" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap stop EXIT

"${RUN[@]}" "$INITDB" -D "$DIR/data" -U baton --auth=trust -E UTF8 --no-sync >/dev/null
# Durability settings are off: this cluster lives for one test run. pg_stat_statements is
# loaded so benchmarks can count the statements a run costs (it adds no measurable time).
"${RUN[@]}" "$PG_CTL" -D "$DIR/data" -l "$DIR/postgres.log" -w -t 60 \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all" \
  start >/dev/null
echo "with-postgres: PostgreSQL on 127.0.0.1:$PORT (data in $DIR)" >&2

export BATON_TEST_POSTGRES="Host=127.0.0.1;Port=$PORT;Username=baton;Database=postgres"
"$@"
