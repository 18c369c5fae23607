#!/usr/bin/env bash
# fetchq benchmark: builds the jars, then runs the scenarios against the local RabbitMQ and PostgreSQL with
# a local nginx origin, and prints a markdown table of medians. See bench/README.md.
#
#   bench/run.sh [--quick] [--repeat N] [--only e2e,submit,large,recovery,scaleout,broker]
#                [--no-build] [--src DIR] [--profile] [--java-opts '...']
#
# FETCHQ_BENCH_SRC=DIR (or --src DIR) measures another checkout (e.g. a git worktree of a commit);
# the default is the repository this script lives in.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "25'; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*-25-* /usr/lib/jvm/jdk-25*; do
    [ -x "$candidate/bin/java" ] && export JAVA_HOME="$candidate" && break
  done
fi
: "${JAVA_HOME:?set JAVA_HOME to a JDK 25}"

missing=()
for tool in python3 psql curl nginx wrk hey; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench/run.sh needs: ${missing[*]} (Debian: apt-get install ${missing[*]/psql/postgresql-client})" >&2
  exit 2
fi

exec python3 "$here/lib/bench.py" "$@"
