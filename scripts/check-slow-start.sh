#!/usr/bin/env bash
# How long the checker takes on a program that is slow to start, as a JVM
# is on a busy machine (issue 21 measured 3.5 s there): the article's final
# server in Java (examples/java/Server06.java), started by a launcher class
# that waits SLOW seconds before it calls Server06's main, so that every
# start of it listens SLOW seconds after the JVM starts. It is checked as
# every stage and as its stage, on a fixed port (in a network namespace of
# its own, so that 8888 is free: needs root for unshare) and with -port 0.
#
#   bash scripts/check-slow-start.sh [slow] [runs]   # 3.5 s and 3 runs by default
#
# The checker starts a program once for the scenarios that can share it,
# so the time is a few starts, not one per scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

slow=${1:-3.5}
runs=${2:-3}
command -v javac >/dev/null || { echo "javac is not installed"; exit 1; }
build ./cmd/check
mkdir -p "$bin/java"
cat > "$bin/java/SlowStart.java" <<'EOF'
// Waits SLOW seconds, then runs the example: a JVM that takes that long
// to start listening.
public class SlowStart {
    public static void main(String[] args) throws Exception {
        Thread.sleep((long) (Double.parseDouble(System.getenv("SLOW")) * 1000));
        Server06.main(args);
    }
}
EOF
javac -d "$bin/java" examples/java/Server06.java "$bin/java/SlowStart.java"

machine
echo "java: $(java -version 2>&1 | head -1); each start listens after SLOW=$slow s"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
export SLOW=$slow
time_it() { # what, then the checker's arguments; prints seconds and the last line
  local what=$1
  shift
  for i in $(seq "$runs"); do
    local start end last
    start=$(date +%s.%N)
    last=$("$@" 2>&1 | tail -1) || true
    end=$(date +%s.%N)
    printf '%-34s run %d: %5.1f s  %s\n' "$what" "$i" "$(echo "$end - $start" | bc)" "$last"
  done
}
java_cmd=(java -cp "$bin/java" SlowStart)
time_it "fixed port, every stage" unshare -n sh -c 'ip link set lo up && exec "$@"' sh "$bin/check" -port 8888 -- "${java_cmd[@]}"
time_it "fixed port, -stage 06-goroutines" unshare -n sh -c 'ip link set lo up && exec "$@"' sh "$bin/check" -port 8888 -stage 06-goroutines -- "${java_cmd[@]}"
time_it "-port 0, every stage" "$bin/check" -port 0 -- "${java_cmd[@]}"
time_it "-port 0, -stage 06-goroutines" "$bin/check" -port 0 -stage 06-goroutines -- "${java_cmd[@]}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
