#!/usr/bin/env bash
# A class of 06-goroutines servers graded at once, timed: half in Go, half
# in Python 3 (the article's final program, its port from its first
# argument), each a folder of its own under a class folder made here, as
# a teacher who copies each student's work into class/NAME/06 would have
# it. Each Go program differs from the others by a comment, so that each
# is built, as a student's would be.
#
#   bash scripts/class.sh [students] [jobs]     # 30 and 4 by default
#
# It prints the machine, the load before and after, the time the checker
# took, and how many programs met 06-goroutines (all of them should).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

students=${1:-30}
jobs=${2:-4}
python=$(command -v python3 || true)
# The folder starts with _, which go's ./... patterns leave out: nothing
# else run meanwhile (go vet ./..., go test ./...) sees the class.
class=$(mktemp -d ./_class.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$bin" "$class"' EXIT

build ./cmd/check
for i in $(seq -w 1 "$students"); do
  mkdir -p "$class/s$i/06"
  if [ -n "$python" ] && [ $((10#$i % 2)) -eq 0 ]; then
    sed 's/^PORT = .*/PORT = int(sys.argv[1])/' examples/python/06-threads.py > "$class/s$i/06/server.py"
  else
    { cat 06-goroutines/main.go; echo "// student $i"; } > "$class/s$i/06/main.go"
  fi
done
go_count=$(find "$class" -name main.go | wc -l)
py_count=$(find "$class" -name server.py | wc -l)

machine
echo "class: $students servers of 06-goroutines, $go_count in Go, $py_count in Python; -jobs $jobs"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
start=$(date +%s.%N)
set +e
"$bin/check" -each "$class/*/06" -stage 06-goroutines -jobs "$jobs" -reports "$bin/reports" > "$bin/table.md" 2> "$bin/progress"
code=$?
set -e
end=$(date +%s.%N)
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
met=$(grep -c '| meets 06-goroutines |' "$bin/table.md" || true)
printf 'graded in %.1f s: %d of %d meet 06-goroutines (exit status %d)\n' "$(echo "$end - $start" | bc)" "$met" "$students" "$code"
if [ "$met" -ne "$students" ]; then
  grep -v '| meets 06-goroutines |' "$bin/table.md"
  for report in "$bin"/reports/*; do
    tail -1 "$report" | grep -q '^meets' || { echo "== $report"; cat "$report"; }
  done
fi
