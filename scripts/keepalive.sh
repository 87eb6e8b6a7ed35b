#!/usr/bin/env bash
# What finds a client that is gone, and what finds one that is only
# silent, measured on 07-shutdown in a network namespace of its own
# (Linux, as root: the nftables rules that cut a client off stay inside):
#
#  A. the keep-alive Go sets on each accepted connection (strace), and the
#     kernel's own defaults, which apply to a socket that turns keep-alive
#     on without saying how;
#  B. a client that vanishes (nftables drops every packet to and from it,
#     as if its machine were unplugged): 07 runs with -idle 10m, so only
#     TCP keep-alive can find it; ss -tio shows the probes;
#  C. a client that is alive but silent (its process stopped with
#     SIGSTOP; its kernel still answers): keep-alive finds nothing wrong,
#     07's idle deadline (-idle 20s) closes it.
#
#   sudo bash scripts/keepalive.sh      (about 3 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(uname -s)" != Linux ] || [ "$(id -u)" != 0 ] || ! command -v nft > /dev/null || ! command -v strace > /dev/null; then
  echo "keepalive.sh runs on Linux, as root, with nftables and strace" >&2
  exit 1
fi
if [ -z "${KEEPALIVE_NETNS:-}" ]; then
  go build -o /tmp/keepalive-07-shutdown ./07-shutdown
  KEEPALIVE_NETNS=1 exec unshare -n bash "$0" "$@"
fi
ip link set lo up
source scripts/lib.sh
mv /tmp/keepalive-07-shutdown "$bin/07-shutdown"
echo "machine: $(uname -sr), $(go version | cut -d' ' -f3), in a network namespace of its own"

# start FLAG...: run 07-shutdown on a free port with these flags.
start() {
  "$bin/07-shutdown" -addr 127.0.0.1:0 "$@" > "$bin/07.out" &
  pid=$!
  for _ in $(seq 100); do
    addr=$(sed -n 's/^Bound to //p' "$bin/07.out")
    [ -n "$addr" ] && port=${addr##*:} && return 0
    sleep 0.05
  done
  echo "07-shutdown did not start" >&2
  exit 1
}

# client: a client connects, reads the welcome line, and then waits, in a
# process of its own ($client), connected from port $cport.
client() {
  bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; read -r -t 5 _ <&3; exec sleep 600 <&3" &
  client=$!
  until cport=$(sed -n 's/^Connected with 127.0.0.1://p' "$bin/07.out") && [ -n "$cport" ]; do sleep 0.05; done
  began=$SECONDS
}

# show: the server's end of the connection, with its timer (ss -o) and its
# keep-alive settings as the kernel reports them (ss -i does not; the
# timer says when the next probe leaves, and how many went unanswered).
show() {
  echo "\$ ss -tno state all '( sport = :$port and dport = :$cport )'   # at $((SECONDS - began)) s"
  ss -tnoH state all "( sport = :$port and dport = :$cport )" |
    awk '{ t = ""; for (i = 5; i <= NF; i++) if ($i ~ /^timer:/) t = $i; printf "  %-11s %s\n", $1, t }'
}

# said: wait (at most WAIT seconds) until 07 prints a line with TEXT, and
# show it with the time since the client connected.
said() {
  for _ in $(seq $(($1 * 20))); do
    if line=$(grep -m1 "$2" "$bin/07.out"); then
      echo "at $((SECONDS - began)) s, 07 printed: $line"
      return 0
    fi
    sleep 0.05
  done
  echo "07 printed no $2 in $1 s" >&2
  exit 1
}

echo
echo "# A. what 07 (Go's net package) sets on an accepted connection, and the kernel's defaults"
start
strace -f -e trace=setsockopt -p "$pid" -o "$bin/strace.out" 2> "$bin/strace.err" &
tracer=$!
until grep -q attached "$bin/strace.err"; do sleep 0.05; done
client
kill -INT "$tracer"
wait "$tracer" || true
echo "\$ strace -f -e trace=setsockopt -p PID   # while a client connects"
sed 's/^[0-9]* *//' "$bin/strace.out"
echo "\$ sysctl net.ipv4.tcp_keepalive_time net.ipv4.tcp_keepalive_intvl net.ipv4.tcp_keepalive_probes"
sysctl net.ipv4.tcp_keepalive_time net.ipv4.tcp_keepalive_intvl net.ipv4.tcp_keepalive_probes
kill "$client"
stop

echo
echo "# B. 07-shutdown -idle 10m; the client vanishes right after the welcome line"
start -idle 10m
client
nft add table inet cut
nft add chain inet cut out '{ type filter hook output priority 0; }'
nft add rule inet cut out tcp dport "$cport" drop
nft add rule inet cut out tcp sport "$cport" drop
show
sleep 20
show
sleep 30
show
said 150 "Connection failed"
show
nft flush ruleset
kill "$client"
stop

echo
echo "# C. 07-shutdown -idle 20s; the client's process is stopped (SIGSTOP) right after the welcome line"
start -idle 20s
client
kill -STOP "$client"
show
sleep 17
show
said 10 "Closing"
kill -CONT "$client"
kill "$client"
stop
