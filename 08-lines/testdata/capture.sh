#!/bin/sh
# capture.sh makes wire-07.tcpdump and wire-08.tcpdump, the sessions the
# page of 08-lines draws: `printf 'hi\nasd\n' | go run ./cmd/client -stream`
# against 07-shutdown and against 08-lines, as tcpdump saw them on
# loopback. It runs 40 sessions against each server, says how each server
# answered them, and keeps one: for 07-shutdown the first whose two lines
# came back in one reply, for 08-lines the first. TestWireCapture checks
# the files and draws the picture from them (go test ./08-lines -update).
# Then it runs nagle.py against 07-shutdown, with Nagle's algorithm on and
# off, and prints the segments that carried data: who sent them, and how
# many bytes.
#
# Run it as root from anywhere in the repository, on Linux with tcpdump:
#
#	sudo sh 08-lines/testdata/capture.sh
#
# The servers listen on localhost:8888 in a network namespace of their own
# (unshare -n), so whatever else uses that port is left alone.
set -eu
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/07" ./07-shutdown
go build -o "$tmp/08" ./08-lines
go build -o "$tmp/client" ./cmd/client

unshare -n sh -s "$tmp" "$PWD/08-lines/testdata/nagle.py" <<'INSIDE'
set -eu
tmp=$1
ip link set lo up
for stage in 07 08; do
	"$tmp/$stage" -addr localhost:8888 >"$tmp/server.out" &
	server=$!
	until grep -q 'Socket now listening' "$tmp/server.out"; do sleep 0.1; done
	tcpdump -i lo -nn -U -w "$tmp/$stage.pcap" 'tcp port 8888' 2>"$tmp/tcpdump.err" &
	dump=$!
	until grep -q listening "$tmp/tcpdump.err"; do sleep 0.1; done
	i=0
	while [ $i -lt 40 ]; do
		printf 'hi\nasd\n' | "$tmp/client" -stream >/dev/null
		i=$((i + 1))
	done
	sleep 1 # for tcpdump to write the last packets
	kill -INT $dump
	wait $dump || true
	kill -INT $server
	wait $server
done
for nodelay in 0 1; do
	"$tmp/07" -addr localhost:8888 >"$tmp/server.out" &
	server=$!
	until grep -q 'Socket now listening' "$tmp/server.out"; do sleep 0.1; done
	tcpdump -i lo -nn -U -w "$tmp/nagle-$nodelay.pcap" 'tcp port 8888' 2>"$tmp/tcpdump.err" &
	dump=$!
	until grep -q listening "$tmp/tcpdump.err"; do sleep 0.1; done
	python3 "$2" $nodelay
	sleep 1 # for tcpdump to write the last packets
	kill -INT $dump
	wait $dump || true
	kill -INT $server
	wait $server
done
INSIDE

# For each session (a client port), the lengths of what the server sent
# after its welcome line (52 bytes): "14" is one reply holding both lines,
# "9 10" a reply for each.
replies() {
	tcpdump -r "$1" -nn 2>/dev/null | awk '
		$3 ~ /\.8888$/ && / length [1-9]/ {
			port = $5; sub(/^.*\./, "", port); sub(/:$/, "", port)
			n = $NF
			if (n != 52) shapes[port] = shapes[port] " " n
			if (!(port in seen)) { seen[port] = 1; order[++count] = port }
		}
		END { for (i = 1; i <= count; i++) print order[i] shapes[order[i]] }'
}
for stage in 07 08; do
	echo "$stage: sessions by the lengths of the replies: $(replies "$tmp/$stage.pcap" | cut -d' ' -f2- | sort | uniq -c | sed 's/^ *//' | paste -sd, -)"
done
port07=$(replies "$tmp/07.pcap" | awk '$2 == 14 && NF == 2 { print $1; exit }')
port08=$(replies "$tmp/08.pcap" | awk '{ print $1; exit }')
tcpdump -r "$tmp/07.pcap" -nn -X "port $port07" >08-lines/testdata/wire-07.tcpdump 2>/dev/null
tcpdump -r "$tmp/08.pcap" -nn -X "port $port08" >08-lines/testdata/wire-08.tcpdump 2>/dev/null
for nodelay in 0 1; do
	echo "nagle.py with TCP_NODELAY=$nodelay, the segments with data:"
	tcpdump -r "$tmp/nagle-$nodelay.pcap" -nn 2>/dev/null | awk '
		/ length [1-9]/ { printf "%s %s; ", ($3 ~ /\.8888$/ ? "server" : "client"), $NF }
		END { print "" }'
done
echo "kept the sessions from ports $port07 (07) and $port08 (08); kernel $(uname -r), $(tcpdump --version 2>&1 | head -1)"
