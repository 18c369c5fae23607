#!/usr/bin/env bash
# Submits N jobs (default 100) with curl to a running fetchq (scripts/run-local.sh) for files served by a
# local origin on 127.0.0.1, waits until every job is final, and checks that each one SUCCEEDED with the
# file's SHA-256, also re-reading the file through GET /jobs/{id}/content. Prints the time taken and jobs/s.
#
#   scripts/try-jobs.sh [N] [API_URL]        (PARALLEL=8 curl submissions at a time)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
api=${2:-http://127.0.0.1:8080}
parallel=${PARALLEL:-8}
export FETCHQ_API_KEY=${FETCHQ_API_KEY:-fq_local-dev-only-client-key-do-not-use-in-prod}
work=$(mktemp -d)
origin_port=${ORIGIN_PORT:-8977}
origin_pid=
trap '[ -n "$origin_pid" ] && kill $origin_pid 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/files"

for i in $(seq 1 "$n"); do
  head -c $(( (RANDOM % 256 + 1) * 1024 )) /dev/urandom >"$work/files/file-$i.bin"
done
(cd "$work/files" && sha256sum -- *.bin) >"$work/SHA256SUMS"
python3 -m http.server "$origin_port" --bind 127.0.0.1 --directory "$work/files" >/dev/null 2>&1 &
origin_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$origin_port/file-1.bin" -o /dev/null && break; sleep 0.1; done

# One line per job: "<file> <sha256>"; submit them PARALLEL at a time, record "<file> <job id>".
begin=$(date +%s.%N)
awk '{print $2, $1}' "$work/SHA256SUMS" | xargs -P "$parallel" -L 1 sh -c '
  body="{\"url\":\"http://127.0.0.1:'"$origin_port"'/$0\",\"sha256\":\"$1\",\"filename\":\"$0\"}"
  id=$(curl -sf -X POST "'"$api"'/jobs" -H "Content-Type: application/json" \
    -H "Authorization: Bearer $FETCHQ_API_KEY" -H "Idempotency-Key: try-$1" -d "$body" \
    | sed -n "s/.*\"id\":\"\([0-9a-f-]*\)\".*/\1/p")
  [ -n "$id" ] || { echo "submission of $0 failed" >&2; exit 255; }
  echo "$0 $id"' >"$work/jobs"
submitted=$(date +%s.%N)

# Poll the newest jobs (one request per round) until all of ours are final.
python3 - "$api" "$work/jobs" "$work/SHA256SUMS" "$begin" "$submitted" <<'PY'
import hashlib, json, os, sys, time, urllib.request
api, jobs_file, sums_file, begin, submitted = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
expected = dict(reversed(line.split()) for line in open(sums_file))
jobs = dict(line.split() for line in open(jobs_file))  # file -> id
ids = set(jobs.values())
final = {}
deadline = time.time() + 300
auth = {"Authorization": "Bearer " + os.environ["FETCHQ_API_KEY"]}
def fetch(url):
    return urllib.request.urlopen(urllib.request.Request(url, headers=auth))
while len(final) < len(ids) and time.time() < deadline:
    cursor, seen = None, 0
    while True:
        url = f"{api}/jobs?limit=500" + (f"&cursor={cursor}" if cursor else "")
        page = json.load(fetch(url))
        for job in page["items"]:
            if job["id"] in ids and job["status"] in ("SUCCEEDED", "DEAD", "CANCELLED"):
                final.setdefault(job["id"], job)
        seen += len(page["items"])
        cursor = page.get("nextCursor")
        if not cursor or seen >= len(ids) * 2:
            break
    if len(final) < len(ids):
        time.sleep(0.05)
finished = time.time()
ok = bad = 0
for name, job_id in jobs.items():
    job = final.get(job_id)
    body = fetch(f"{api}/jobs/{job_id}/content").read() if job and job["status"] == "SUCCEEDED" else b""
    if job and job["status"] == "SUCCEEDED" and job["sha256"] == expected[name] == hashlib.sha256(body).hexdigest():
        ok += 1
    else:
        bad += 1
        print(f"job {job_id} ({name}): {job and job['status']} {job and job.get('lastError')}", file=sys.stderr)
n = len(jobs)
print(f"jobs: {n}  SUCCEEDED with the right SHA-256 (status and /content): {ok}  wrong or unfinished: {bad}")
print(f"submitted in {submitted - begin:.2f} s ({n / (submitted - begin):.0f}/s with curl);"
      f" first POST to last job final: {finished - begin:.2f} s = {n / (finished - begin):.0f} jobs/s")
sys.exit(1 if bad else 0)
PY
