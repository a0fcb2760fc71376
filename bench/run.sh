#!/usr/bin/env bash
# Runs the benchmark end to end: builds the server, the ceiling handler and
# the load runner, generates the data set (cached between runs by preset and
# seed), then lets the load runner start the server, drive D1–D5 and W1 and
# print the table. Every argument goes to the load runner (bench/load):
#
#   bench/run.sh                      full run, national preset (< 10 min on 2 cores)
#   bench/run.sh --quick              smoke run: small preset, 2 s cells
#   bench/run.sh --preset national10x --queries d1,d2 --compare bench/results/national.json
#   bench/run.sh --fresh              generate the data set again (to time it)
#
# Environment: BENCH_BIN (keep the build here and reuse it), BENCH_CACHE (where data sets are kept; default
# $TMPDIR/handlingsplan-bench), BENCH_OUT (results JSON; default
# bench/results/<preset>-<time>.json), BENCH_NICE (a niceness such as -10
# for the server, the ceiling and the load runner, on a machine shared with
# other work; negative values need root). With the kernel's autogroup
# scheduling, niceness only ranks processes of one session against each
# other, so the runner then starts in a session of its own and sets that
# session's group niceness too (/proc/self/autogroup).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# BENCH_BIN keeps the binaries in a directory of your choice, so that two
# runs (national, then national10x) measure the same build.
if [ -n "${BENCH_BIN:-}" ]; then
	bin=$BENCH_BIN
	mkdir -p "$bin"
else
	bin=$(mktemp -d "${TMPDIR:-/tmp}/handlingsplan-bench-bin.XXXXXX")
	trap 'rm -rf "$bin"' EXIT
fi

if [ -z "${BENCH_BIN:-}" ] || [ ! -x "$bin/load" ]; then
	echo "run.sh: building into $bin" >&2
	go build -o "$bin/handlingsplan" .
	go build -o "$bin/ceiling" ./bench/ceiling
	go build -o "$bin/load" ./bench/load
	git rev-parse --short HEAD >"$bin/commit" 2>/dev/null || true
fi

preset=national
for ((i = 1; i <= $#; i++)); do
	case "${!i}" in
	--quick) preset=small ;;
	esac
done
for ((i = 1; i <= $#; i++)); do
	case "${!i}" in
	--preset) j=$((i + 1)); preset=${!j} ;;
	--preset=*) preset=${!i#--preset=} ;;
	esac
done

commit=$(cat "$bin/commit" 2>/dev/null || git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain 2>/dev/null | grep -v '^??' || true)" ]; then
	commit="$commit+changes"
fi
out=${BENCH_OUT:-bench/results/$preset-$(date -u +%Y%m%dT%H%M%SZ).json}

nice=()
if [ -n "${BENCH_NICE:-}" ]; then
	nice=(setsid bash -c 'if [ -w /proc/self/autogroup ]; then echo "$0" >/proc/self/autogroup; fi; exec nice -n "$0" "$@"' "$BENCH_NICE")
fi

exec "${nice[@]}" "$bin/load" \
	--bin "$bin/handlingsplan" \
	--ceiling-bin "$bin/ceiling" \
	--cache "${BENCH_CACHE:-${TMPDIR:-/tmp}/handlingsplan-bench}" \
	--commit "$commit" \
	--out "$out" \
	"$@"
