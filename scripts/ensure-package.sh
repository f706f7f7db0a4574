#!/usr/bin/env bash
# Makes sure a program a test or benchmark drives is here: `ensure-package.sh PACKAGE [PROGRAM]` checks PROGRAM
# (a command on PATH or an absolute path; the package's name by default) and, when it is missing and we
# are root with apt-get, installs Debian's PACKAGE quietly. Otherwise a clear error, never a skip.
# Used for promtool and chromium (make test), and for wrk, chromium and hyperfine (make bench).
set -euo pipefail

package="${1:?usage: ensure-package.sh PACKAGE [PROGRAM]}"
program="${2:-$package}"

present() { [[ "$program" == /* ]] && [[ -x "$program" ]] || { [[ "$program" != /* ]] && command -v "$program" >/dev/null 2>&1; }; }

if present; then
  exit 0
fi
if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-package: installing $package (apt-get install $package)" >&2
  # A fresh machine's package lists may be empty; the install alone would then find nothing.
  apt-get install -y -qq --no-install-recommends "$package" >/dev/null 2>&1 \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null; } \
    || true
fi
if ! present; then
  echo "ensure-package: $program not found; install Debian's package '$package' (apt-get install $package) and run again" >&2
  exit 1
fi
