#!/usr/bin/env bash
# Submits N jobs (default 100) with curl to a running fetchq (scripts/run-local.sh) for files served by a
# local origin on 127.0.0.1, waits until every job is final, and checks each one SUCCEEDED with the file's
# SHA-256 (also re-read through GET /jobs/{id}/content). Prints jobs/s.
#
#   scripts/try-jobs.sh [N] [API_URL]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
api=${2:-http://127.0.0.1:8080}
origin_dir=$(mktemp -d)
origin_port=${ORIGIN_PORT:-8977}
trap 'kill $origin_pid 2>/dev/null || true; rm -rf "$origin_dir"' EXIT

for i in $(seq 1 "$n"); do
  head -c $(( (RANDOM % 256 + 1) * 1024 )) /dev/urandom >"$origin_dir/file-$i.bin"
done
python3 -m http.server "$origin_port" --bind 127.0.0.1 --directory "$origin_dir" >/dev/null 2>&1 &
origin_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$origin_port/file-1.bin" -o /dev/null && break; sleep 0.1; done

declare -A expected
ids=()
begin=$(date +%s.%N)
for i in $(seq 1 "$n"); do
  sum=$(sha256sum "$origin_dir/file-$i.bin" | cut -d' ' -f1)
  id=$(curl -sf -X POST "$api/jobs" -H 'Content-Type: application/json' \
    -d "{\"url\":\"http://127.0.0.1:$origin_port/file-$i.bin\",\"sha256\":\"$sum\",\"filename\":\"file-$i.bin\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  expected[$id]=$sum
  ids+=("$id")
done
submitted=$(date +%s.%N)

pending=("${ids[@]}")
for _ in $(seq 600); do
  still=()
  for id in "${pending[@]}"; do
    status=$(curl -sf "$api/jobs/$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
    case "$status" in SUCCEEDED|DEAD|CANCELLED) ;; *) still+=("$id") ;; esac
  done
  pending=("${still[@]+"${still[@]}"}")
  [ ${#pending[@]} -eq 0 ] && break
  sleep 0.2
done
finished=$(date +%s.%N)

ok=0; bad=0
for id in "${ids[@]}"; do
  read -r status sha < <(curl -sf "$api/jobs/$id" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["status"], j["sha256"])')
  content=$(curl -sf "$api/jobs/$id/content" | sha256sum | cut -d' ' -f1)
  if [ "$status" = SUCCEEDED ] && [ "$sha" = "${expected[$id]}" ] && [ "$content" = "${expected[$id]}" ]; then
    ok=$((ok + 1))
  else
    bad=$((bad + 1)); echo "job $id: $status sha=$sha content=$content expected=${expected[$id]}" >&2
  fi
done
python3 - "$begin" "$submitted" "$finished" "$n" "$ok" "$bad" <<'PY'
import sys
begin, submitted, finished = map(float, sys.argv[1:4])
n, ok, bad = map(int, sys.argv[4:7])
print(f"jobs: {n}  succeeded with the right checksum: {ok}  wrong or unfinished: {bad}")
print(f"submission (sequential curl): {submitted - begin:.2f} s; first POST to last job final: {finished - begin:.2f} s"
      f" = {n / (finished - begin):.1f} jobs/s (includes 0.2 s status polling)")
PY
[ "$bad" -eq 0 ]
