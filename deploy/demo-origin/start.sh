#!/bin/sh
# Prepares the demo origin's files, then runs the given command (nginx in compose).
# Small samples are committed in static/; the large ones are generated here, deterministically, so their
# SHA-256 never changes and a job can carry it as the expected checksum. Usage: start.sh COMMAND [ARGS...]
set -eu
root="${DEMO_ROOT:-/usr/share/nginx/html/files}"
static="${DEMO_STATIC:-/srv/demo/static}"

mkdir -p "$root"
cp "$static"/* "$root"/
for size in 10 100; do
  file="$root/fetchq-${size}MiB.bin"
  [ -s "$file" ] || yes 'fetchq demo origin' | head -c $((size * 1024 * 1024)) > "$file"
done
(cd "$root" && sha256sum *.bin *.txt *.json > SHA256SUMS)
echo "demo origin: $(ls "$root" | tr '\n' ' ')"
exec "$@"
