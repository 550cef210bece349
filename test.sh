#!/usr/bin/env bash
# Runs every Tacit test: unit, property, integration (SQLite and PostgreSQL) and browser tests.
# Installs what is missing (Debian packages chromium, postgresql, glpk-utils, a Java runtime, nginx, openssl; npm vnu-jar
# and @redocly/cli, did-jwt-vc), starts a throwaway PostgreSQL and the Nu HTML checker on 127.0.0.1, publishes the web app the way
# run.sh does (the browser tests run that build), stops what it started at the end, and ends with the line
# "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v glpsol >/dev/null 2>&1 || need+=(glpk-utils)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v curl >/dev/null 2>&1 || need+=(curl)
# The browser tests put nginx, with a certificate openssl makes, in front of the app (docs/operations.md, "Behind nginx").
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || need+=(nginx)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if ((${#need[@]})); then
  echo "Installing ${need[*]} ..."
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null \
    || { echo "Could not install ${need[*]}"; echo "0 passed, 1 failed"; exit 1; }
fi

# A private PostgreSQL and HTML checker for this run (scripts/postgres.sh, scripts/vnu.sh), stopped on exit.
. scripts/postgres.sh
. scripts/vnu.sh
. scripts/redocly.sh
. scripts/vc-verifier.sh
. scripts/publish.sh
# The browser tests start the app as its own process, marked with this run's id; a test host that crashes cannot stop
# its app, so whatever still carries the mark at the end is stopped here.
export TACIT_TEST_RUN="tacit-test-$$-$RANDOM"
stop_leftover_apps() { pkill -f -- "--TestRun=$TACIT_TEST_RUN" 2>/dev/null || true; }
trap 'stop_leftover_apps; stop_postgres; stop_vnu' EXIT
start_postgres "${TACIT_TEST_PG_PORT:-25432}" || { echo "PostgreSQL did not start"; echo "0 passed, 1 failed"; exit 1; }
export TACIT_TEST_POSTGRES="$POSTGRES_CONNECTION;Include Error Detail=true"
start_vnu "${TACIT_TEST_VNU_PORT:-25433}" || { echo "The Nu HTML checker did not start"; echo "0 passed, 1 failed"; exit 1; }
install_redocly || { echo "Redocly CLI could not be installed"; echo "0 passed, 1 failed"; exit 1; }
install_vc_verifier || { echo "The credential verifier (did-jwt-vc) could not be installed"; echo "0 passed, 1 failed"; exit 1; }

dotnet build Tacit.slnx -c Release -nologo -clp:ErrorsOnly \
  || { echo "The build failed"; echo "0 passed, 1 failed"; exit 1; }
publish_web --no-build || { echo "Publishing the web app failed"; echo "0 passed, 1 failed"; exit 1; }

results=$(mktemp -d /tmp/tacit-results.XXXXXX)
status=0
for project in tests/*/; do
  name=$(basename "$project")
  [ -f "$project/$name.csproj" ] || continue
  echo "== $name"
  dotnet test "$project" -c Release --no-build -nologo --logger "trx;LogFileName=$results/$name.trx" --logger "console;verbosity=minimal" || status=1
done

# The ADL LRS conformance suite (docs/xapi.md): both xAPI versions, once per database, on the published app, with
# nothing else running. Its summaries ({"total","passed","failed"} per version) count like the test projects' results.
for database in sqlite postgres; do
  echo "== xAPI conformance ($database)"
  XAPI_DATABASE=$database XAPI_NO_BUILD=1 XAPI_SUITE_DIR="$(pwd)/artifacts/xapi-suite" XAPI_RESULTS_DIR="$results" \
    scripts/xapi-conformance.sh "$([ "$database" = sqlite ] && echo 25434 || echo 25436)" | tee "$results/xapi-$database.summary" || status=1
done

# The SCIM reference implementation's Postman collection with newman (docs/scim.md), once per database; its
# {"total","passed","failed","skipped"} summaries count like the others (expected failures, explained there, as skipped).
for database in sqlite postgres; do
  echo "== SCIM conformance ($database)"
  SCIM_DATABASE=$database SCIM_NO_BUILD=1 SCIM_NEWMAN_DIR="$(pwd)/artifacts/scim-newman" SCIM_RESULTS_DIR="$results" \
    scripts/scim-conformance.sh "$([ "$database" = sqlite ] && echo 25444 || echo 25446)" | tee "$results/scim-$database.summary" || status=1
done

# Sum what the runs report, from their result files.
read -r passed failed skipped < <(python3 - "$results" <<'PY'
import sys, glob, json, re, xml.etree.ElementTree as ET
p = f = s = 0
for path in glob.glob(sys.argv[1] + "/xapi-*.summary") + glob.glob(sys.argv[1] + "/scim-*.summary"):
    for line in open(path):
        m = re.search(r'\{"total".*?\}', line)
        if m:
            summary = json.loads(m.group(0)); p += summary["passed"]; f += summary["failed"]; s += summary.get("skipped", 0)
for path in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(path).getroot().find(".//{*}Counters")
    if c is None: continue
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    s += int(c.get("notExecuted", 0))
print(p, f, s)
PY
)
rm -rf "$results"
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then failed=1; fi
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
[ "$status" -eq 0 ] && [ "${failed:-0}" -eq 0 ]
