#!/usr/bin/env bash
# Runs Tacit on an embedded SQLite database under ./data and serves http://127.0.0.1:${PORT:-5000}.
# Restores, builds and migrates the database first. The first page offers to create your organisation
# or to load the demo organisation.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p data
dotnet build src/Tacit.Web -c Release -nologo -clp:ErrorsOnly
export ConnectionStrings__Default="${ConnectionStrings__Default:-Data Source=$(pwd)/data/tacit.db}"
export Smtp__PickupFolder="${Smtp__PickupFolder:-$(pwd)/data/mail}"
cd src/Tacit.Web
exec dotnet bin/Release/net10.0/Tacit.Web.dll --Port "${PORT:-5000}" --contentRoot "$(pwd)" "$@"
