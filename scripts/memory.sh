#!/usr/bin/env bash
# What a connection costs 06-goroutines: N clients (10,000 unless given)
# connect, are welcomed and served one round trip, and stay connected while
# loadsim reads the server's resident memory (Linux only). With "python",
# the same for the article's own threaded server, ported to Python 3
# (scripts/article_server.py): it accepts slowly once it runs thousands of
# threads, and its backlog is 10, so loadsim connects 8 at a time; 2,000
# clients take about 90 s there. Every 10 s a line on stderr says how many
# clients the server holds so far.
#
#   bash scripts/memory.sh [clients] [python]
#
# Both the server and loadsim need a file descriptor per connection, so the
# hard limit on open files must be above N (Go raises the soft limit to the
# hard one by itself).
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-10000}
if [ "$(uname -s)" != Linux ]; then
  echo "memory.sh reads /proc/PID/status: it runs on Linux only" >&2
  exit 1
fi
need=$((clients + 100))
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt "$need" ]; then
  echo "the hard limit on open files is $hard; $clients clients need $need." >&2
  echo "raise it, for example with: sudo prlimit --pid \$\$ --nofile=$need:$need (then run this again from that shell)" >&2
  exit 1
fi
source scripts/lib.sh

# progress: every 10 s, on stderr, how many connections the server holds:
# its open files now, less those it had before the clients came.
progress() {
  local began=$SECONDS before now
  before=$(ls "/proc/$pid/fd" | wc -l)
  while sleep 10; do
    now=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
    echo "... $((SECONDS - began)) s: the server holds $((now - before)) of $clients connections" >&2
  done
}

build ./06-goroutines ./cmd/loadsim
machine
if [ "${2:-}" = python ]; then
  cp scripts/article_server.py "$bin/"
  printf '#!/bin/sh\nexec python3 -u "$(dirname "$0")/article_server.py" 0\n' > "$bin/python-threads"
  chmod +x "$bin/python-threads"
  python3 --version
  start python-threads
  echo "the Python server accepts slowly: $clients clients take about $((clients * 45 / 1000)) s here" >&2
  progress &
  echo "\$ go run ./cmd/loadsim -clients $clients -messages 1 -hold -server-pid PID -q -dial-limit 8   # against the Python server"
  "$bin/loadsim" -addr "$addr" -clients "$clients" -messages 1 -hold -server-pid "$pid" -q -dial-limit 8
else
  start 06-goroutines
  progress &
  echo "\$ go run ./cmd/loadsim -clients $clients -messages 1 -hold -server-pid PID -q"
  "$bin/loadsim" -addr "$addr" -clients "$clients" -messages 1 -hold -server-pid "$pid" -q
fi
stop
