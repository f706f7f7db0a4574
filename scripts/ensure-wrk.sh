#!/usr/bin/env bash
# Makes sure wrk (the HTTP load generator the API benchmark drives) is on PATH: Debian's
# package, installed quietly when we are root with apt-get; otherwise a clear error, never a skip.
set -euo pipefail

if command -v wrk >/dev/null 2>&1; then
  exit 0
fi
if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-wrk: installing wrk (apt-get install wrk)" >&2
  # A fresh machine's package lists may be empty; the install alone would then find nothing.
  apt-get install -y -qq wrk >/dev/null 2>&1 \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
fi
if ! command -v wrk >/dev/null 2>&1; then
  echo "ensure-wrk: wrk not found; install Debian's package 'wrk' (apt-get install wrk) and run again" >&2
  exit 1
fi
