#!/usr/bin/env bash
# Browser tests of the GraphiQL page and the dashboard against a freshly
# started server.
#
#   e2e/run.sh BINARY          e.g. go build -o /tmp/handlingsplan . && e2e/run.sh /tmp/handlingsplan
#
# Installs the pinned npm dependencies (npm ci), starts
# `BINARY serve --data TMPDIR --addr 127.0.0.1:0` once to load the default
# data, stops it, makes an ADMIN token (the dashboard test reports a status
# with it, to see the page update live), starts the server again, reads
# the address from its "listening on http://…" line, waits for /healthz,
# runs graphiql.test.mjs and dashboard.test.mjs with BASE_URL and TOKEN,
# stops the server and exits with the tests' status.
# Needs node >= 20 and Chromium at /usr/bin/chromium (apt-get install -y
# chromium) or at $CHROMIUM. The screenshots land in e2e/artifacts/.
set -euo pipefail

die() { echo "e2e/run.sh: $*" >&2; exit 2; }

[ $# -eq 1 ] || die "usage: e2e/run.sh BINARY"
if [[ "$1" == */* ]]; then
	bin="$(realpath "$1")"
else
	bin="$(command -v "$1")" || die "$1: not found"
fi
[ -x "$bin" ] || die "$bin: not an executable"
chromium="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium" ] || die "$chromium missing: apt-get install -y chromium (or set CHROMIUM)"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
npm ci --no-audit --no-fund --loglevel=error

work="$(mktemp -d)"
pid=""
stop_server() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null || true
	fi
	[ -z "$pid" ] || wait "$pid" 2>/dev/null || true
	pid=""
}
stop() {
	stop_server
	rm -rf "$work"
}
trap stop EXIT
server_logs() {
	echo "--- server stdout" >&2; cat "$work/stdout" >&2
	echo "--- server stderr" >&2; tail -n 50 "$work/stderr" >&2
}

# start_server starts the binary on the test data and sets url once
# /healthz answers.
start_server() {
	"$bin" serve --data "$work/data" --addr 127.0.0.1:0 >"$work/stdout" 2>"$work/stderr" &
	pid=$!
	url=""
	for _ in $(seq 300); do # 30 s
		url="$(sed -nE 's/.*listening on (https?:\/\/[^[:space:]]+).*/\1/p' "$work/stdout" | head -n 1)"
		[ -n "$url" ] && break
		kill -0 "$pid" 2>/dev/null || { server_logs; die "server exited before listening"; }
		sleep 0.1
	done
	[ -n "$url" ] || { server_logs; die "no 'listening on http://…' line on stdout within 30 s"; }

	for _ in $(seq 300); do # 30 s
		curl -fsS -o /dev/null "$url/healthz" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || { server_logs; die "server exited before /healthz answered"; }
		sleep 0.1
	done
	curl -fsS -o /dev/null "$url/healthz" || { server_logs; die "$url/healthz not healthy within 30 s"; }
}

start_server # loads the default data into $work/data
stop_server
token="$("$bin" token create --data "$work/data" --body digdir --role ADMIN --name e2e | tail -n 1)"
start_server

echo "e2e/run.sh: testing $url" >&2
status=0
BASE_URL="$url" TOKEN="$token" CHROMIUM="$chromium" node --test graphiql.test.mjs dashboard.test.mjs || status=$?
if [ "$status" -ne 0 ]; then
	server_logs
fi
exit "$status"
