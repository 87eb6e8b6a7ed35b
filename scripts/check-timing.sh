#!/usr/bin/env bash
# How long the checker takes on the programs learners write: the corpus of
# cmd/check/testdata/corpus, checked one program at a time, each as a full
# run and as one stage, with a port of its own for every run ({port}, or
# PORT with -port 0) and on one fixed port. Prints a table of the minimum,
# median and maximum, then a row per program. Run it on a quiet machine:
# fixed-port runs go one scenario after another, and CHECK_TIMES_EVERY=3
# times them for every third program only; so it took 26 minutes over the
# 93 programs on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
CHECK_TIMES="$out" CHECK_TIMES_EVERY="${CHECK_TIMES_EVERY:-1}" \
  go test -count=1 -timeout 60m -run '^TestCorpusTimes$' ./cmd/check >/dev/null
cat "$out"
