#!/usr/bin/env bash
# Load test of the people directory at scale (docs/benchmarks.md): seeds N people (default 100,000) with
# shares and wants into a private PostgreSQL, serves Tacit from it on 127.0.0.1, and drives three pages
# with wrk at 64 connections: the directory search, a profile page and the people API. Prints p50–p99.
set -euo pipefail
cd "$(dirname "$0")/.."
people=${PEOPLE:-100000}
duration=${DURATION:-20s}
port=${PORT:-25080}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

. scripts/postgres.sh
. scripts/bench-server.sh
work=$(mktemp -d /tmp/tacit-load.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; stop_postgres; rm -rf "$work"; }
trap cleanup EXIT
start_postgres "${PG_PORT:-25435}"
# PostgreSQL runs on this machine, so Tacit talks to it over its Unix socket (about a third less CPU per request than
# loopback TCP), with a pool sized to two cores rather than to 64 connections (docs/operations.md).
export Database__Provider=Postgres ConnectionStrings__Default="Host=$POSTGRES_DIR;Port=${PG_PORT:-25435};Username=postgres;Database=tacit_load;Maximum Pool Size=20"

seed_and_serve "$people" "$port" "$work"

# Sign in as a browser would: antiforgery token and cookie from the form, then post it. wrk replays one
# cookie and never stores a refreshed one, and Identity revalidates a cookie older than a minute on every
# request, so each run gets a fresh sign-in.
signin() {
  local jar="$work/cookies" token
  rm -f "$jar"
  token=$(curl -s -c "$jar" "$base/signin" | grep -o 'name="__RequestVerificationToken" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
  curl -s -b "$jar" -c "$jar" -o /dev/null -d "_handler=signin" --data-urlencode "__RequestVerificationToken=$token" \
    --data-urlencode "Input.Email=$SEED_EMAIL" --data-urlencode "Input.Password=$SEED_PASSWORD" "$base/signin"
  cookie=$(awk '$6 ~ /Identity/ {print $6"="$7}' "$jar")
  [ -n "$cookie" ] || { echo "sign-in failed"; exit 1; }
}
signin

lua=bench/Tacit.Bench/People/percentiles.lua
run() {
  echo "== $1"
  shift
  wrk -t2 -c64 -d"$duration" --timeout 10s -s "$lua" "$@" | grep -E '^(requests|p[0-9]+|max)'
}
# Warm up first: the first seconds of a fresh process are spent compiling (tiered JIT) and the first search reads
# the organisation's directory into memory, not serving.
for path in "/people?q=$SEED_SEARCH" "/people/$SEED_PROFILE"; do wrk -t2 -c64 -d10s -H "Cookie: $cookie" "$base$path" >/dev/null; done
wrk -t2 -c64 -d10s -H "Authorization: Bearer $SEED_TOKEN" "$base/api/people?q=$SEED_SEARCH&page=2" >/dev/null
echo "Tacit people load test: $people people, 64 connections, $duration each, $(nproc) cores, app and wrk on one machine"
signin
run "directory search (page /people?q=$SEED_SEARCH)" -H "Cookie: $cookie" "$base/people?q=$SEED_SEARCH"
signin
run "profile page (/people/{id})" -H "Cookie: $cookie" "$base/people/$SEED_PROFILE"
run "people API (/api/people?q=$SEED_SEARCH&page=2)" -H "Authorization: Bearer $SEED_TOKEN" "$base/api/people?q=$SEED_SEARCH&page=2"
# Any server-side failure is a failed run: show the first with its context.
grep -A6 -E "^fail|Exception" "$work/server.log" | head -20 || true
