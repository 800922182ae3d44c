#!/usr/bin/env bash
# Compares Authdeck's QR decoder (scan, on gozxing) with zbarimg on the
# corpus of hard images that scan/internal/corpus makes: success rate and
# median whole-process time per category, then both on 4K PNGs at 8 and 16
# bits, with a small code and without one; then the time and peak memory of
# the most expensive images that can be made small (a 7071x7071 16-bit PNG,
# headers that claim huge sizes).
#
#   bench/scan.sh                          # needs zbarimg (Debian: zbar-tools)
#   SCAN_CMD="authdeck scan" bench/scan.sh # time another command on the Go side
set -euo pipefail
cd "$(dirname "$0")/.."

command -v zbarimg >/dev/null || { echo "bench/scan.sh: zbarimg not found (apt install zbar-tools)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/scanbench" ./scan/internal/scanbench
"$work/scanbench" write "$work/corpus"
echo "corpus: $(ls "$work/corpus" | grep -vc tsv) images in $work/corpus; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); $(zbarimg --version 2>/dev/null | head -1 | sed 's/^/zbarimg /')"
echo
"$work/scanbench" compare "$work/corpus"

echo
echo "Worst cases (elapsed, peak memory, what it said):"
"$work/scanbench" worst "$work/worst"
for f in "$work"/worst/*; do
  /usr/bin/time -f "%e s %M KB" -o "$work/time" "$work/scanbench" decode "$f" >"$work/out" 2>&1 || true
  printf '  %-16s %-18s %s\n' "$(basename "$f")" "$(tail -1 "$work/time")" \
    "$(head -1 "$work/out" | sed "s|$work/worst/||" | cut -c1-100)"
done

echo
echo "In-process Go benchmarks (decode from a decoded image, and reading a 4K file to grey):"
go test ./scan -run '^$' -bench 'Decode4K|ReadGrey' -benchtime 5x -count 1 | grep '^Benchmark'
