#!/usr/bin/env bash
# The learning record store at scale (docs/benchmarks.md, docs/xapi.md): serves Tacit from a private PostgreSQL on
# 127.0.0.1, posts STATEMENTS statements (default 1,000,000) through /xapi in batches, then single statements for 20 s,
# then drives a filtered GET (agent + verb + since, agents and verbs at random) with wrk at 16 connections.
# Prints the write rates and the query's p50–p99. COPIES=N (default 1) then copies every statement and its index keys
# N−1 more times in SQL, with new row ids: the same agents and verbs, N times the rows, without N times the posting.
set -euo pipefail
cd "$(dirname "$0")/.."
statements=${STATEMENTS:-1000000}
duration=${DURATION:-30s}
port=${PORT:-25081}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

. scripts/postgres.sh
. scripts/bench-server.sh
work=$(mktemp -d /tmp/tacit-xapi-load.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; stop_postgres; rm -rf "$work"; }
trap cleanup EXIT
start_postgres "${PG_PORT:-25437}"
export Database__Provider=Postgres ConnectionStrings__Default="Host=$POSTGRES_DIR;Port=${PG_PORT:-25437};Username=postgres;Database=tacit_xapi;Maximum Pool Size=20"

# A small organisation is enough: the statements are the load.
seed_and_serve 100 "$port" "$work"
dotnet bench/Tacit.Bench/bin/Release/net10.0/Tacit.Bench.dll xapi-seed --base "$base" --key "$SEED_LRS_KEY" --secret "$SEED_LRS_SECRET" \
  --statements "$statements" --wrk-script "$work/query.lua"
copies=${COPIES:-1}
sql() { psql -h "$POSTGRES_DIR" -p "${PG_PORT:-25437}" -U postgres -d tacit_xapi -v ON_ERROR_STOP=1 -Atqc "$1"; }
if [ "$copies" -gt 1 ]; then
  top=$(sql 'SELECT max("Id") FROM "XapiStatements"')
  for copy in $(seq 1 $((copies - 1))); do
    sql "INSERT INTO \"XapiStatements\" (\"Id\", \"OrganisationId\", \"StatementId\", \"Json\", \"Stored\", \"VoidsStatementId\", \"Voided\")
         SELECT \"Id\" + $copy * $top, \"OrganisationId\", gen_random_uuid(), \"Json\", \"Stored\", \"VoidsStatementId\", \"Voided\" FROM \"XapiStatements\" WHERE \"Id\" <= $top;
         INSERT INTO \"XapiStatementKeys\" (\"OrganisationId\", \"StatementRowId\", \"Kind\", \"Hash\")
         SELECT \"OrganisationId\", \"StatementRowId\" + $copy * $top, \"Kind\", \"Hash\" FROM \"XapiStatementKeys\" WHERE \"StatementRowId\" <= $top;"
  done
  sql "SELECT setval(pg_get_serial_sequence('\"XapiStatements\"', 'Id'), (SELECT max(\"Id\") FROM \"XapiStatements\"))" >/dev/null
  echo "copied in SQL: $(sql 'SELECT count(*) FROM "XapiStatements"') statements, $(sql 'SELECT count(*) FROM "XapiStatementKeys"') index keys"
fi
sql "VACUUM ANALYZE" >/dev/null
cat "$work/query.lua" bench/Tacit.Bench/People/percentiles.lua > "$work/query-report.lua"
auth="Authorization: Basic $(printf '%s:%s' "$SEED_LRS_KEY" "$SEED_LRS_SECRET" | base64 -w0)"
wrk -t2 -c16 -d10s -s "$work/query.lua" -H "$auth" -H "X-Experience-API-Version: 1.0.3" "$base" >/dev/null
echo "== filtered GET /xapi/statements (agent + verb + since), $((statements * copies)) statements, 16 connections, $duration, $(nproc) cores, app, PostgreSQL and wrk on one machine"
wrk -t2 -c16 -d"$duration" --timeout 10s -s "$work/query-report.lua" -H "$auth" -H "X-Experience-API-Version: 1.0.3" "$base" | grep -E '^(requests|p[0-9]+|max)'
grep -A6 -E "^fail|Exception" "$work/server.log" | head -20 || true
