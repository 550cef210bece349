#!/usr/bin/env bash
# Runs Tacit on an embedded SQLite database under ./data and serves http://127.0.0.1:${PORT:-5000}.
# Publishes the web app to artifacts/web (the same output the browser tests run), then migrates the database
# at start-up. The first page offers to create your organisation or, on a fresh database, to load the demo.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p data
. scripts/publish.sh
publish_web
export ConnectionStrings__Default="${ConnectionStrings__Default:-Data Source=$(pwd)/data/tacit.db}"
export Smtp__PickupFolder="${Smtp__PickupFolder:-$(pwd)/data/mail}"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}"
cd artifacts/web
exec dotnet Tacit.Web.dll --Port "${PORT:-5000}" --contentRoot "$(pwd)" "$@"
