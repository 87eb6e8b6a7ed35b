#!/usr/bin/env bash
# The step from 05-loop to 06-goroutines, measured: the same load against
# both, 10 clients sending 5 messages each, one of which first connects and
# says nothing for 2 s (the article's silent terminal).
#
#   bash scripts/compare.sh [extra loadsim flags]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

build ./05-loop ./06-goroutines ./cmd/loadsim
machine
for stage in 05-loop 06-goroutines; do
  start "$stage"
  echo "\$ go run ./cmd/loadsim -clients 10 -messages 5 -silent 1 -silent-for 2s   # against $stage"
  "$bin/loadsim" -addr "$addr" -clients 10 -messages 5 -silent 1 -silent-for 2s "$@"
  stop
done
