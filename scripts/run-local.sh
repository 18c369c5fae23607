#!/usr/bin/env bash
# Runs fetchq without Docker: builds the jars and starts the api-service and N download-workers against the
# RabbitMQ and PostgreSQL on this machine (127.0.0.1:5672 guest/guest, 127.0.0.1:5432 user postgres).
#
#   scripts/run-local.sh [start] [WORKERS]   build (unless FETCHQ_SKIP_BUILD=1), start api + WORKERS (default 2)
#   scripts/run-local.sh stop                stop everything this script started
#   scripts/run-local.sh status              show what is running
#
# Logs and pid files go to run/. Every setting can be overridden with the environment variables in the
# README's configuration table (e.g. SPRING_RABBITMQ_HOST, FETCHQ_STORAGE_DIR). The workers run with the JVM
# options of download-worker/jvm.options (heap size), like the image and bench/run.sh; FETCHQ_JAVA_OPTS adds
# options for every JVM (after that file, so they win).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
run="$root/run"
mkdir -p "$run"

if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "25'; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*-25-* /usr/lib/jvm/jdk-25*; do
    [ -x "$candidate/bin/java" ] && export JAVA_HOME="$candidate" && break
  done
fi
java="${JAVA_HOME:?set JAVA_HOME to a JDK 25}/bin/java"

stop() {
  for pidfile in "$run"/*.pid; do
    [ -e "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      echo "stopping $(basename "$pidfile" .pid) ($pid)"
      kill "$pid"
      for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
}

status() {
  for pidfile in "$run"/*.pid; do
    [ -e "$pidfile" ] || { echo "nothing running"; return; }
    pid=$(cat "$pidfile")
    state=$(kill -0 "$pid" 2>/dev/null && echo running || echo dead)
    echo "$(basename "$pidfile" .pid): $pid $state"
  done
}

wait_ready() { # name port
  for _ in $(seq 120); do
    if curl -sf "http://127.0.0.1:$2/actuator/health/readiness" >/dev/null; then
      echo "$1 ready"
      return 0
    fi
    kill -0 "$(cat "$run/$1.pid")" 2>/dev/null || { echo "$1 died; see $run/$1.log" >&2; tail -20 "$run/$1.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "$1 not ready after 60 s; see $run/$1.log" >&2
  exit 1
}

start() {
  local workers=${1:-2}
  stop >/dev/null
  if [ "${FETCHQ_SKIP_BUILD:-0}" != 1 ]; then
    echo "building jars"
    ./mvnw -B -q -ntp -DskipTests -Dspotless.check.skip=true package -pl api-service,download-worker -am
  fi
  local db_url=${SPRING_DATASOURCE_URL:-jdbc:postgresql://127.0.0.1:5432/fetchq}
  local db=${db_url##*/}
  if command -v psql >/dev/null && ! psql -h 127.0.0.1 -U "${SPRING_DATASOURCE_USERNAME:-postgres}" -d postgres -Atc \
      "select 1 from pg_database where datname = '$db'" | grep -q 1; then
    echo "creating database $db"
    psql -h 127.0.0.1 -U "${SPRING_DATASOURCE_USERNAME:-postgres}" -d postgres -qc "create database $db"
  fi
  export FETCHQ_STORAGE_DIR=${FETCHQ_STORAGE_DIR:-$run/downloads}
  # Local-only credentials (not secrets): the client key of scripts/try-jobs.sh, given by its SHA-256, and an
  # admin token for the dead-letter API. Override both for anything but a laptop.
  export FETCHQ_SECURITY_APIKEYS=${FETCHQ_SECURITY_APIKEYS:-dev:client:99bff0a7f821ef765085ee97ff25473c2a73a0772b1bd0bdfedae183be9c4436}
  export FETCHQ_ADMIN_TOKEN=${FETCHQ_ADMIN_TOKEN:-fetchq-local-only-admin-token}
  # Local origins are on loopback, which the workers' SSRF guard refuses unless allowed.
  export FETCHQ_WORKER_ALLOWED_HOSTS=${FETCHQ_WORKER_ALLOWED_HOSTS:-127.0.0.1}
  mkdir -p "$FETCHQ_STORAGE_DIR"

  SPRING_DATASOURCE_URL="$db_url" nohup "$java" ${FETCHQ_JAVA_OPTS:-} -jar api-service/target/api-service.jar \
    >"$run/api-service.log" 2>&1 &
  echo $! >"$run/api-service.pid"
  for i in $(seq 1 "$workers"); do
    SERVER_PORT=$((8090 + i)) FETCHQ_WORKER_ID="$(hostname)-worker-$i" \
      nohup "$java" @download-worker/jvm.options ${FETCHQ_JAVA_OPTS:-} -jar download-worker/target/download-worker.jar \
      >"$run/worker-$i.log" 2>&1 &
    echo $! >"$run/worker-$i.pid"
  done
  wait_ready api-service "${MANAGEMENT_SERVER_PORT:-8081}"
  for i in $(seq 1 "$workers"); do wait_ready "worker-$i" $((8090 + i)); done
  echo "fetchq is up: POST http://127.0.0.1:${SERVER_PORT:-8080}/jobs  (stop with: $0 stop)"
  echo "local client key: Authorization: Bearer fq_local-dev-only-client-key-do-not-use-in-prod"
}

case "${1:-start}" in
  start) shift || true; start "${1:-2}" ;;
  stop) stop ;;
  status) status ;;
  [0-9]*) start "$1" ;;
  *) echo "usage: $0 [start [WORKERS]|stop|status]" >&2; exit 2 ;;
esac
