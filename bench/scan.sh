#!/usr/bin/env bash
# Compares Authdeck's QR decoder (scan, on gozxing) with zbarimg on the
# corpus of hard images that scan/internal/corpus makes: success rate and
# median whole-process time per category, then both on a 4K PNG.
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
echo "corpus: $(ls "$work/corpus" | grep -vc tsv) images in $work/corpus; $(nproc) CPUs; $(zbarimg --version 2>/dev/null | head -1 | sed 's/^/zbarimg /')"
echo
"$work/scanbench" compare "$work/corpus"
echo
echo "In-process Go benchmarks (decode from a decoded image):"
go test ./scan -run '^$' -bench 'Decode4K|ToLuma4K' -benchtime 10x -count 1 | grep '^Benchmark'
