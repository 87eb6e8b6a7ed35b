#!/usr/bin/env bash
# What 02-listen's queues do when they are full, measured in a network
# namespace of its own (Linux, as root: the kernel settings it changes,
# and the nftables rule that holds back handshakes, stay inside it):
#
#  A. a full accept queue and the next client's SYN, with
#     net.ipv4.tcp_abort_on_overflow 0 (the default) and 1;
#  B. what tcp_abort_on_overflow is for: a handshake's last ACK that
#     arrives while the accept queue is full (nftables holds it back);
#  C. a SYN flood: 20 handshakes that never finish, against a backlog of 4,
#     with net.ipv4.tcp_syncookies 1 (the default) and 0.
#
# Each part shows ss and the kernel's counters (nstat, the figures that
# `netstat -s` prints as sentences).
#
#   sudo bash scripts/backlog.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(uname -s)" != Linux ] || [ "$(id -u)" != 0 ] || ! command -v nft > /dev/null; then
  echo "backlog.sh runs on Linux, as root, with nftables (apt-get install nftables)" >&2
  exit 1
fi
if [ -z "${BACKLOG_NETNS:-}" ]; then
  go build -o /tmp/backlog-02-listen ./02-listen
  BACKLOG_NETNS=1 exec unshare -n bash "$0" "$@"
fi
ip link set lo up
source scripts/lib.sh
mv /tmp/backlog-02-listen "$bin/02-listen"
echo "machine: $(uname -sr), in a network namespace of its own"

# start STAGE [FLAG...]: as lib.sh's start, with the stage's own flags.
start() {
  "$bin/$1" -addr 127.0.0.1:0 "${@:2}" > "$bin/$1.out" &
  pid=$!
  for _ in $(seq 100); do
    addr=$(sed -n 's/^Bound to //p' "$bin/$1.out")
    [ -n "$addr" ] && port=${addr##*:} && return 0
    sleep 0.05
  done
  echo "$1 did not start" >&2
  exit 1
}

# client.py PORT N WAIT READ [SPORT]: N clients connect at once (from
# SPORT, if given, for one), wait at most WAIT seconds for their
# handshakes, read for at most READ seconds (0: they do not read), say
# what happened to them, then keep their sockets open for a minute (the
# script kills it once it has looked).
cat > "$bin/client.py" << 'EOF'
import collections, select, socket, sys, time
port, n, wait, read = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
socks = []
for i in range(n):
    s = socket.socket()
    if len(sys.argv) > 5:
        s.bind(('127.0.0.1', int(sys.argv[5])))
    s.setblocking(False)
    s.connect_ex(('127.0.0.1', port))
    socks.append(s)
deadline = time.time() + wait
pending = set(socks)
while pending and time.time() < deadline:
    _, w, _ = select.select([], list(pending), [], max(0, deadline - time.time()))
    pending -= set(w)
said = collections.Counter()
for s in socks:
    if s in pending:
        said['connect still waiting'] += 1
        continue
    err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    if err:
        said['connect failed: ' + socket.errno.errorcode[err]] += 1
        continue
    if not read:
        said['connected'] += 1
        continue
    s.setblocking(True)
    s.settimeout(read)
    try:
        said['connected, then read %r' % s.recv(100)] += 1
    except socket.timeout:
        said['connected, then read nothing for %g s' % read] += 1
    except OSError as e:
        said['connected, then read: ' + type(e).__name__] += 1
for what, count in sorted(said.items()):
    print('  %d client(s): %s' % (count, what))
print('.', flush=True)
time.sleep(60)
EOF

# clients PORT N WAIT READ [SPORT]: run client.py in the background; when
# it has said what happened, print it (leaving its sockets open until
# done_clients).
clients() {
  python3 "$bin/client.py" "$@" > "$bin/clients.out" &
  clients=$!
  until grep -q '^\.$' "$bin/clients.out"; do sleep 0.05; done
  grep -v '^\.$' "$bin/clients.out"
}

done_clients() {
  kill "$clients" 2> /dev/null || true
  wait "$clients" 2> /dev/null || true
}

show() {
  echo "\$ ss -tan '( sport = :$port or dport = :$port )'   # states counted"
  ss -tanH "( sport = :$port or dport = :$port )" | awk '{ print $1 }' | sort | uniq -c |
    awk '{ printf "  %-11s %d\n", $2, $1 }'
}

# counters: how much the kernel's counters grew since the part began
# (nstat prints what changed since it last ran; nstat -n in fill starts it).
export NSTAT_HISTORY=$bin/nstat.history
counters() {
  echo "\$ nstat -z TcpExtListenOverflows TcpExtListenDrops TcpExtSyncookiesSent TcpExtTCPReqQFullDrop"
  nstat -z TcpExtListenOverflows TcpExtListenDrops TcpExtSyncookiesSent TcpExtTCPReqQFullDrop |
    awk 'NR > 1 { printf "  %-24s %s\n", $1, $2 }'
}

# fill N: N clients connect and stay connected, as the accept queue's
# first N (bash's own /dev/tcp, on file descriptors 3 to 2+N).
fill() {
  for fd in $(seq 3 $((2 + $1))); do
    eval "exec $fd<>/dev/tcp/127.0.0.1/$port"
  done
}

unfill() {
  for fd in 3 4 5; do eval "exec $fd>&-"; done
}

settings() {
  echo "\$ sysctl net.ipv4.tcp_abort_on_overflow net.ipv4.tcp_syncookies"
  sysctl net.ipv4.tcp_abort_on_overflow net.ipv4.tcp_syncookies | sed 's/^/  /'
}

stopall() {
  done_clients
  unfill
  kill -INT "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
  nft flush ruleset
}

for abort in 0 1; do
  echo
  echo "# A. 02-listen -backlog 2: 3 clients fill the accept queue, a 4th one connects (tcp_abort_on_overflow=$abort)"
  sysctl -qw net.ipv4.tcp_abort_on_overflow=$abort
  start 02-listen -backlog 2
  nstat -n
  fill 3
  echo "  the 4th client, for 4 s:"
  clients "$port" 1 4 0
  settings
  show
  counters
  stopall
done

for abort in 0 1; do
  echo
  echo "# B. the last ACK of a handshake arrives while the accept queue is full (tcp_abort_on_overflow=$abort)"
  sysctl -qw net.ipv4.tcp_abort_on_overflow=$abort
  start 02-listen -backlog 2
  nstat -n
  # client D's handshake: its last ACK is held back while 3 others fill
  # the queue, then let through when the server sends its SYN-ACK again.
  nft add table inet hold
  nft add chain inet hold out '{ type filter hook output priority 0; }'
  nft add rule inet hold out tcp sport 40000 tcp dport "$port" tcp flags == ack drop
  python3 "$bin/client.py" "$port" 1 2 5 40000 > "$bin/clients.out" &
  clients=$!
  until ss -tanH state syn-recv "( sport = :$port )" | grep -q .; do sleep 0.05; done
  fill 3
  nft flush ruleset
  until grep -q '^\.$' "$bin/clients.out"; do sleep 0.05; done
  echo "  client D:"
  grep -v '^\.$' "$bin/clients.out"
  settings
  show
  counters
  stopall
done

for cookies in 1 0; do
  echo
  echo "# C. 20 handshakes that never finish (nftables drops every last ACK), 02-listen -backlog 4, tcp_syncookies=$cookies"
  sysctl -qw net.ipv4.tcp_abort_on_overflow=0 net.ipv4.tcp_syncookies=$cookies
  start 02-listen -backlog 4
  nstat -n
  nft add table inet hold
  nft add chain inet hold out '{ type filter hook output priority 0; }'
  nft add rule inet hold out tcp dport "$port" tcp flags == ack drop
  clients "$port" 20 2 0
  settings
  show
  counters
  stopall
done
