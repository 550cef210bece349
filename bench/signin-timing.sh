#!/usr/bin/env bash
# Sign-in timing (docs/security.md, docs/benchmarks.md): serves Tacit on a fresh SQLite database on 127.0.0.1 and
# prints how long a refused sign-in takes for an email with an account (wrong password) and for one without.
set -euo pipefail
cd "$(dirname "$0")/.."
samples=${SAMPLES:-100}
port=${PORT:-25082}
work=$(mktemp -d /tmp/tacit-signin.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export Database__Provider=Sqlite ConnectionStrings__Default="Data Source=$work/tacit.db" Smtp__PickupFolder="$work/mail"

dotnet build Tacit.slnx -c Release -nologo -clp:ErrorsOnly -v q
Logging__LogLevel__Default=Warning dotnet src/Tacit.Web/bin/Release/net10.0/Tacit.Web.dll --Port "$port" \
  --contentRoot "$(pwd)/src/Tacit.Web" > "$work/server.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 60); do curl -sf "$base/signin" >/dev/null && break; sleep 1; done
dotnet bench/Tacit.Bench/bin/Release/net10.0/Tacit.Bench.dll signin-timing --base "$base" --samples "$samples" \
  || { echo "== server log"; grep -B2 -A12 -E "fail|Exception" "$work/server.log" | head -60; exit 1; }
