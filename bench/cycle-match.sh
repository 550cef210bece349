#!/usr/bin/env bash
# Scale test of a learning cycle's match job (docs/benchmarks.md): seeds N people (default 10,000) with shares and
# wants into a private PostgreSQL, serves Tacit from it on 127.0.0.1, takes a cycle to "mapped" through the API,
# runs the match job in the background while loading a few pages (the facilitator's matching and cycle pages, the
# directory, home) and timing them, publishes, and prints the times: queue->result, and from the server's log the run's
# reading, engine-only and saving times, then the publish. PEOPLE=100000 for the 100,000-person figures; RUNS=2 runs the
# job again on the same server (the first run in a fresh server also pays for compiling its code); PAGES=no times the
# job without loading pages meanwhile (the client only polls the run every 250 ms); FIRST_MAIL=1 seeds people who have
# had no mail yet, so the enrolment's and intake's notices are all mailed at once while the job runs (by default they
# have had one and the notices wait for tomorrow's digest, as in an organisation in use); every participant answers the
# intake (written into the database; ANSWERS=no for none, as before docs/benchmarks.md ¹⁵); HOLD=1 keeps the
# database and server afterwards; INSTANCE=FILE writes the cycle's matching instance there afterwards (`tacit cycle
# instance`), to time `tacit match` on the same organisation.
set -euo pipefail
cd "$(dirname "$0")/.."
people=${PEOPLE:-10000}
port=${PORT:-25081}

. scripts/postgres.sh
. scripts/bench-server.sh
work=$(mktemp -d /tmp/tacit-cycle.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; stop_postgres; rm -rf "$work"; }
trap cleanup EXIT
trap "exit 143" TERM INT  # so that stopping a HOLD=1 run still stops PostgreSQL
start_postgres "${PG_PORT:-25436}"
export Database__Provider=Postgres ConnectionStrings__Default="$POSTGRES_CONNECTION;Database=tacit_cycle" Smtp__PickupFolder="$work/mail"

seed_and_serve "$people" "$port" "$work"

echo "Tacit cycle match job: $people people, PostgreSQL, $(nproc) cores, app and client on one machine; load: $(uptime | sed 's/.*load/load/')"
dotnet bench/Tacit.Bench/bin/Release/net10.0/Tacit.Bench.dll cycle-match --base "$base" --token "$SEED_FACILITATOR_TOKEN" \
  --email "$SEED_EMAIL" --password "$SEED_PASSWORD" --runs "${RUNS:-1}" --pages "${PAGES:-yes}" --answers "${ANSWERS:-yes}" || { echo "== server log"; grep -B2 -A12 -E "fail|Exception" "$work/server.log" | head -60; exit 1; }
# The job logs its own phases (MatchJob): reading, engine only, saving.
grep -oE "Match run [0-9a-f-]+: .*" "$work/server.log" | sed 's/^/worker: /' || true
echo "load after: $(uptime | sed 's/.*load/load/')"
if [ -n "${INSTANCE:-}" ]; then
  slug=${SEED_EMAIL#admin@}
  dotnet build src/Tacit.Cli -c Release -nologo -clp:ErrorsOnly -v q
  dotnet src/Tacit.Cli/bin/Release/net10.0/tacit.dll cycle instance --org "${slug%.example}" --out "$INSTANCE"
fi
grep -E "fail|Exception" "$work/server.log" | head -5 || true
# HOLD=1 keeps PostgreSQL and the server (with the published cycle) afterwards, for EXPLAIN ANALYZE, until this script is stopped.
if [ -n "${HOLD:-}" ]; then
  echo "holding: psql -h $POSTGRES_DIR -p ${PG_PORT:-25436} -U postgres -d tacit_cycle; server PID $server; stop this script (PID $$) to end"
  while true; do sleep 60; done
fi
