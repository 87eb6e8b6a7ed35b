# Shared by the measurement scripts: build the programs, start a stage on a
# free port, and stop it again. Source it; it expects to run from the
# repository's root.

bin=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null; rm -rf "$bin"' EXIT

# build PACKAGE...: go build each into $bin.
build() {
  go build -o "$bin/" "$@"
}

# start STAGE: run the stage on 127.0.0.1:0 in the background; sets $addr
# to the address it is bound to and $pid to its process.
start() {
  "$bin/$1" -addr 127.0.0.1:0 > "$bin/$1.out" &
  pid=$!
  for _ in $(seq 100); do
    addr=$(sed -n 's/^Bound to //p' "$bin/$1.out")
    [ -n "$addr" ] && return 0
    sleep 0.05
  done
  echo "$1 did not start:" >&2
  cat "$bin/$1.out" >&2
  exit 1
}

# stop: stop the stage started last.
stop() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# machine: one line about where the numbers come from.
machine() {
  local cpu
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
  echo "machine: $(uname -sr), ${cpu:-unknown CPU}, $(getconf _NPROCESSORS_ONLN) cores, $(go version | cut -d' ' -f3)"
}
