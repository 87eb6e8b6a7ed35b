#!/usr/bin/env bash
# The TCP states of the course's connections, as `ss -tan` shows them at
# each step on loopback (Linux only): 02-listen's queue, 03-accept hanging
# up on a client that has not closed yet (CLOSE-WAIT on the client's end,
# FIN-WAIT-2 on the server's, then TIME-WAIT on the side that closed
# first), a 05 that never closes (the checker's never-closes, from its
# corpus: CLOSE-WAIT on the server's end, for as long as the program runs),
# and 06-goroutines with a client that closes first (TIME-WAIT on the
# client's end). The clients are bash's own /dev/tcp, so that the script
# decides when each one closes. docs/tcp-states.svg draws the states.
#
#   bash scripts/states.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(uname -s)" != Linux ]; then
  echo "states.sh reads the states with ss: it runs on Linux only" >&2
  exit 1
fi
source scripts/lib.sh

build ./02-listen ./03-accept ./06-goroutines
go build -o "$bin/05-never-closes" ./cmd/check/testdata/corpus/go/05-defer-close
echo "machine: $(uname -sr), $(ss -V)"

# start STAGE [FLAG...]: as lib.sh's start, with the stage's own flags.
start() {
  "$bin/$1" -addr 127.0.0.1:0 "${@:2}" > "$bin/$1.out" &
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

# show: what ss says of the connections to and from the server's port,
# with the timer of those that have one (ss -o).
show() {
  local port=${addr##*:}
  echo "\$ ss -tano '( sport = :$port or dport = :$port )'"
  printf "%-11s %-6s %-6s %-21s %-21s %s\n" State Recv-Q Send-Q "Local Address:Port" "Peer Address:Port" Timer
  ss -tanoH "( sport = :$port or dport = :$port )" |
    awk '{ t = ""; for (i = 6; i <= NF; i++) if ($i ~ /^timer:/) t = $i
           line = sprintf("%-11s %-6s %-6s %-21s %-21s %s", $1, $2, $3, $4, $5, t)
           sub(/ +$/, "", line); print line }' |
    sort -k1,1 -k4,4
}

# wait_for STATE: wait (at most 5 s) until a connection of the port is in
# STATE, as ss names it.
wait_for() {
  local port=${addr##*:}
  for _ in $(seq 100); do
    ss -tanH "( sport = :$port or dport = :$port )" | grep -q "^$1 " && return 0
    sleep 0.05
  done
  echo "no connection in $1" >&2
  exit 1
}

# gone STATE: wait (at most 5 s) until no connection of the port is in STATE.
gone() {
  local port=${addr##*:}
  for _ in $(seq 100); do
    ss -tanH "( sport = :$port or dport = :$port )" | grep -q "^$1 " || return 0
    sleep 0.05
  done
}

echo
echo "# 02-listen -backlog 1: two clients connect, a third one's SYN is dropped"
start 02-listen -backlog 1
exec 3<>"/dev/tcp/${addr%:*}/${addr##*:}" 4<>"/dev/tcp/${addr%:*}/${addr##*:}"
timeout 5 bash -c "exec 5<>/dev/tcp/${addr%:*}/${addr##*:}" 2>/dev/null &
third=$!
wait_for SYN-SENT
show
kill -INT "$pid"
wait "$pid" || true
exec 3>&- 4>&-
kill "$third" 2>/dev/null || true

echo
echo "# 03-accept hangs up; the client has not closed yet"
start 03-accept
exec 3<>"/dev/tcp/${addr%:*}/${addr##*:}"
wait_for CLOSE-WAIT
show
echo "# the client closes too: TIME-WAIT on the side that closed first, the server's"
exec 3>&-
wait_for TIME-WAIT
show
wait "$pid" || true

echo
echo "# a 05 that never closes: the client gets its reply and closes"
start 05-never-closes
exec 3<>"/dev/tcp/${addr%:*}/${addr##*:}"
printf 'hi\r\n' >&3
read -r -t 5 reply <&3
echo "the client read: ${reply%$'\r'}"
exec 3>&-
wait_for CLOSE-WAIT
show
stop

echo
echo "# 06-goroutines: the client sends a line, reads the reply, and closes first"
start 06-goroutines
exec 3<>"/dev/tcp/${addr%:*}/${addr##*:}"
read -r -t 5 welcome <&3
printf 'hi\r\n' >&3
read -r -t 5 reply <&3
echo "the client read: ${welcome%$'\r'} / ${reply%$'\r'}"
exec 3>&-
wait_for TIME-WAIT
gone LAST-ACK
show
stop
