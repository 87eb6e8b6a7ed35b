#!/usr/bin/env bash
# A class graded at once, timed: STUDENTS repositories made here the way an
# assignment service hands them out, each with the student's own mine/ and
# every stage of the course in it, half in Go (a module of the student's
# own: a go.mod of its own) and half in Python 3 (the article's programs,
# 01 to 06, their port from their first argument), as a teacher who clones
# every student's repository into class/ has them. Each Go program differs
# from the others by a comment, so that each is built, as a student's
# would be.
#
#   bash scripts/class.sh [students] [jobs]     # 40 and 4 by default
#
# It prints the machine, the load before and after, the time the checker
# took for every student's every stage (-each 'class/*'), and how many
# students met every stage they wrote (all of them should).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

students=${1:-40}
jobs=${2:-4}
python=$(command -v python3 || true)
# The folder starts with _, which go's ./... patterns leave out: nothing
# else run meanwhile (go vet ./..., go test ./...) sees the class.
class=$(mktemp -d ./_class.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$bin" "$class"' EXIT

build ./cmd/check
stages=(01-bind 02-listen 03-accept 04-echo-once 05-loop 06-goroutines 07-shutdown)
pyfiles=(01-bind 02-listen 03-accept 04-echo-once 05-loop 06-threads)
for i in $(seq -w 1 "$students"); do
  s="$class/s$i"
  mkdir -p "$s/mine"
  if [ -n "$python" ] && [ $((10#$i % 2)) -eq 0 ]; then
    for k in "${!pyfiles[@]}"; do
      num=${stages[$k]%%-*}
      sed 's/^PORT = .*/PORT = int(sys.argv[1])/' "examples/python/${pyfiles[$k]}.py" > "$s/mine/$num.py"
    done
  else
    printf 'module example.com/s%s/socketcourse\n\ngo 1.22\n' "$i" > "$s/go.mod"
    for st in "${stages[@]}"; do
      num=${st%%-*}
      mkdir -p "$s/mine/$num"
      { cat "$st/main.go"; echo "// student $i"; } > "$s/mine/$num/main.go"
    done
  fi
done
go_count=$(find "$class" -name go.mod | wc -l)

machine
echo "class: $students students, $go_count in Go (stages 01 to 07), $((students - go_count)) in Python (01 to 06); -jobs $jobs"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
start=$(date +%s.%N)
set +e
"$bin/check" -each "$class/*" -idle 2s -jobs "$jobs" -reports "$bin/reports" > "$bin/table.md" 2> "$bin/progress"
code=$?
set -e
end=$(date +%s.%N)
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
printf 'graded in %.1f s, exit status %d\n' "$(echo "$end - $start" | bc)" "$code"
tail -1 "$bin/table.md"
if grep -q 'not met\|cannot run' "$bin/table.md"; then
  grep 'not met\|cannot run' "$bin/table.md"
  for report in "$bin"/reports/*; do
    grep -q 'not met\|cannot run' "$report" && { echo "== $report"; cat "$report"; }
  done
fi
