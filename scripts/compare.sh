#!/usr/bin/env bash
# The step from 05-loop to 06-goroutines, measured: the same load against
# both, 10 clients sending 5 messages each, one of which first connects and
# says nothing for 2 s (the article's silent terminal). Each run is also
# drawn as a timeline, in English and in Chinese, into docs/timeline/: the
# pictures docs/performance.md and docs/zh-CN/performance.md show beside
# the numbers this prints, which go into both pages (go test ./docs checks
# that pictures and numbers come from the same run).
#
#   bash scripts/compare.sh [extra loadsim flags]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

build ./05-loop ./06-goroutines ./cmd/loadsim
machine
mkdir -p docs/timeline
for stage in 05-loop 06-goroutines; do
  start "$stage"
  pictures="-title $stage -timeline docs/timeline/$stage.svg -timeline-zh docs/timeline/$stage.zh-CN.svg"
  echo "\$ go run ./cmd/loadsim -clients 10 -messages 5 -silent 1 -silent-for 2s $pictures   # against $stage"
  # shellcheck disable=SC2086 # $pictures is flags, split on purpose
  "$bin/loadsim" -addr "$addr" -clients 10 -messages 5 -silent 1 -silent-for 2s $pictures "$@"
  stop
done
