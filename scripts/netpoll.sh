#!/usr/bin/env bash
# How the two servers wait, seen from outside (Linux only, needs strace):
# 06-goroutines, whose goroutines wait in Go's netpoller (epoll), and the
# article's own server ported to Python 3 (scripts/article_server.py), a
# thread per client, each blocked in its own recv.
#
#  1. strace -f on each server while two clients connect and one sends a
#     line: which system calls wait, and in which thread.
#  2. how many threads each server runs (Threads: in /proc/PID/status)
#     while 10, 100 and 1000 clients are connected.
#  3. strace -f -c: how many of each system call 100 clients sending 10
#     lines each cost.
#
#   bash scripts/netpoll.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(uname -s)" != Linux ] || ! command -v strace > /dev/null; then
  echo "netpoll.sh runs on Linux, with strace (apt-get install strace)" >&2
  exit 1
fi
source scripts/lib.sh

build ./06-goroutines ./cmd/loadsim
cp scripts/article_server.py "$bin/"
printf '#!/bin/sh\nexec python3 -u "$(dirname "$0")/article_server.py" 0\n' > "$bin/python-threads"
chmod +x "$bin/python-threads"
machine
echo "$(python3 --version), $(strace -V | head -1)"

# attach: start strace with the given options on the server; wait until it
# has attached to every thread.
attach() {
  strace "$@" -p "$pid" -o "$bin/strace.out" 2> "$bin/strace.err" &
  tracer=$!
  for _ in $(seq 100); do
    grep -q attached "$bin/strace.err" && return 0
    sleep 0.05
  done
  echo "strace did not attach:" >&2
  cat "$bin/strace.err" >&2
  exit 1
}

# detach: stop strace, which writes what it gathered.
detach() {
  kill -INT "$tracer"
  wait "$tracer" || true
}

# connections: how many sockets the server holds beyond those it had at
# the start ($base).
connections() {
  echo $(($(ls "/proc/$pid/fd" | wc -l) - base))
}

# holds N: wait (at most 2 minutes) until the server holds N connections.
holds() {
  for _ in $(seq 2400); do
    [ "$(connections)" -ge "$1" ] && return 0
    sleep 0.05
  done
  echo "the server holds $(connections) connections, not $1" >&2
  exit 1
}

for server in 06-goroutines python-threads; do
  echo
  echo "# 1. $server: two clients connect; the first sends hi and reads the reply; both close"
  start "$server"
  base=$(ls "/proc/$pid/fd" | wc -l)
  calls=accept4,epoll_pwait,epoll_wait,epoll_ctl,read,recvfrom
  echo "\$ strace -f -e trace=$calls -p PID"
  attach -f -e "trace=$calls"
  exec 3<>"/dev/tcp/${addr%:*}/${addr##*:}"
  read -r -t 5 _ <&3
  exec 4<>"/dev/tcp/${addr%:*}/${addr##*:}"
  read -r -t 5 _ <&4
  printf 'hi\r\n' >&3
  read -r -t 5 _ <&3
  exec 3>&- 4>&-
  until [ "$(connections)" -le 0 ]; do sleep 0.05; done
  detach
  cat "$bin/strace.out"
  stop
done

echo
echo "# 2. threads while N clients are connected (each client: the welcome line, one round trip, then it waits for the others)"
for server in 06-goroutines python-threads; do
  for n in 10 100 1000; do
    start "$server"
    base=$(ls "/proc/$pid/fd" | wc -l)
    flags=(-clients "$n" -messages 1 -hold -q -silent 1 -silent-for 3s)
    if [ "$server" = python-threads ]; then
      # the Python server's backlog is 10, and it accepts slowly once it
      # runs many threads: connect 8 at a time, and keep the first client
      # silent until all are in.
      flags=(-clients "$n" -messages 1 -hold -q -silent 1 -silent-for "$((3 + n * 60 / 1000))s" -dial-limit 8)
    fi
    "$bin/loadsim" -addr "$addr" "${flags[@]}" > "$bin/loadsim.out" &
    load=$!
    holds "$n"
    echo "$server, $n clients connected: $(grep Threads: "/proc/$pid/status")"
    wait "$load"
    stop
  done
done

echo
echo "# 3. system calls for 100 clients sending 10 lines each"
for server in 06-goroutines python-threads; do
  start "$server"
  attach -f -c
  flags=(-clients 100 -messages 10 -q)
  [ "$server" = python-threads ] && flags+=(-dial-limit 8)
  echo "\$ strace -f -c -p PID   # $server, while: go run ./cmd/loadsim ${flags[*]}"
  "$bin/loadsim" -addr "$addr" "${flags[@]}"
  detach
  # the count of each call, most first, without the times, which vary
  awk '$NF ~ /^[a-z_0-9]+$/ && $(NF-1) ~ /^[0-9]+$/ && $NF != "syscall" { print }' "$bin/strace.out" |
    awk '{ errors = (NF == 6) ? $5 : 0; printf "%8d calls %6d errors  %s\n", $4, errors, $NF }' |
    sort -rn | head -12
  stop
done
