#!/usr/bin/env bash
# Runs the ADL LRS conformance test suite (xAPI 1.0.3 and 2.0.0) against Tacit's learning record store at /xapi,
# on a throwaway SQLite database, and prints each version's summary. Not part of ./test.sh (yet).
#   scripts/xapi-conformance.sh [PORT]          (default port 25640; SQLite)
#   XAPI_DATABASE=postgres scripts/xapi-conformance.sh PORT   (a private PostgreSQL on PORT+1, thrown away after)
#   XAPI_SUITE_ARGS="-g 'some test'"            extra arguments for the suite's console runner
#   XAPI_SUITE_DIR=/tmp/lrs-suite                reuse an installed copy of the suite (npm install is skipped)
#   XAPI_NO_BUILD=1                              use artifacts/web and the CLI as they are
# The suite is the vendored copy (README in /work/shared/vendor or vendor/); its logs go to $XAPI_SUITE_DIR/logs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
port="${1:-25640}"
vendored="${XAPI_SUITE_SOURCE:-$root/vendor/adl-lrs-conformance-test-suite}"
[ -d "$vendored" ] || vendored=/work/shared/vendor/adl-lrs-conformance-test-suite
work="$(mktemp -d /tmp/tacit-xapi.XXXXXX)"
suite="${XAPI_SUITE_DIR:-$work/suite}"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ "${XAPI_DATABASE:-sqlite}" = postgres ]; then stop_postgres; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ ! -d "$suite/node_modules" ]; then
  mkdir -p "$suite"
  cp -r "$vendored/." "$suite/"
  (cd "$suite" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi

if [ -z "${XAPI_NO_BUILD:-}" ]; then
  . scripts/publish.sh
  publish_web
  dotnet build src/Tacit.Cli -c Release -nologo -clp:ErrorsOnly -v q >&2
fi

if [ "${XAPI_DATABASE:-sqlite}" = postgres ]; then
  . scripts/postgres.sh
  start_postgres $((port + 1))
  export Database__Provider=Postgres
  export ConnectionStrings__Default="$POSTGRES_CONNECTION;Database=tacit_xapi"
else
  export ConnectionStrings__Default="Data Source=$work/tacit.db"
fi
export Smtp__PickupFolder="$work/mail"
export ASPNETCORE_ENVIRONMENT=Production
cli() { dotnet "$root/src/Tacit.Cli/bin/Release/net10.0/tacit.dll" "$@"; }
cli org create --name "xAPI conformance" --slug xapi-conformance --admin-email admin@xapi.example >/dev/null
read -r key secret < <(cli lrs-credentials create --org xapi-conformance --name "ADL conformance suite" | tail -n 1)

(cd artifacts/web && exec dotnet Tacit.Web.dll --Port "$port" --contentRoot "$(pwd)" >"$work/server.log" 2>&1) &
server=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/xapi/about" >/dev/null && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$port/xapi/about" >/dev/null || { echo "Tacit did not start:"; cat "$work/server.log"; exit 1; }

status=0
for version in 1.0.3 2.0.0; do
  out="$work/suite-$version.txt"
  (cd "$suite" && eval node bin/console_runner.js -e "http://127.0.0.1:$port/xapi" -a -u "$key" -p "$secret" -x "$version" -z ${XAPI_SUITE_ARGS:-}) >"$out" 2>&1 || status=1
  summary="$(grep -o '{"total":[^}]*}' "$out" | tail -n 1 || true)"
  echo "xAPI $version (${XAPI_DATABASE:-sqlite}): ${summary:-no summary (see below)}"
  [ -n "$summary" ] || tail -n 40 "$out"
  cp "$out" "${XAPI_RESULTS_DIR:-$root/artifacts}/xapi-conformance-${XAPI_DATABASE:-sqlite}-$version.txt" 2>/dev/null || true
done
exit $status
