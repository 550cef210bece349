# Sourced by the scale tests in bench/: builds Tacit, seeds PEOPLE people into the database named by the
# environment, and serves Tacit on 127.0.0.1:PORT in the background ($server holds its PID, $base its URL).
# The caller stops it (and PostgreSQL) in its EXIT trap. Seed details are sourced as SEED_* variables.
seed_and_serve() {
  local people=$1 port=$2 work=$3
  dotnet build bench/Tacit.Bench -c Release -nologo -clp:ErrorsOnly -v q   # builds Tacit.Web too
  dotnet bench/Tacit.Bench/bin/Release/net10.0/Tacit.Bench.dll people-seed --people "$people" --out "$work/seed.env" ${FIRST_MAIL:+--first-mail}
  . "$work/seed.env"
  # The match job's phase timings (read, engine, save) are logged at Information, the engine's own lines at Debug, for bench/cycle-match.sh.
  # SERVER_DIR=DIR serves a published app from DIR (its own content root) instead of the build output.
  local app=src/Tacit.Web/bin/Release/net10.0/Tacit.Web.dll root="$(pwd)/src/Tacit.Web"
  [ -n "${SERVER_DIR:-}" ] && app="$SERVER_DIR/Tacit.Web.dll" root="$SERVER_DIR"
  env Logging__LogLevel__Default=Warning "Logging__LogLevel__Tacit.Web.Features.Cycles.MatchJob=Debug" dotnet "$app" --Port "$port" \
    --contentRoot "$root" > "$work/server.log" 2>&1 &
  server=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 60); do curl -sf "$base/signin" >/dev/null && break; sleep 1; done
}
