# Sourced by test.sh: Redocly CLI (npm @redocly/cli, installed into artifacts/tools when missing or of another version),
# which a web test (tests/Tacit.Web.Tests/Api/OpenApiDocumentTests.cs) runs on the API's OpenAPI document with the rules in
# redocly.yaml. After install_redocly, $TACIT_TEST_REDOCLY is the command.
REDOCLY_VERSION=2.77.0

install_redocly() {
  local cli=artifacts/tools/node_modules/@redocly/cli
  if ! grep -qs "\"version\": \"$REDOCLY_VERSION\"" "$cli/package.json"; then
    npm install --prefix artifacts/tools --no-audit --no-fund --loglevel=error "@redocly/cli@$REDOCLY_VERSION" >/dev/null || return 1
  fi
  export TACIT_TEST_REDOCLY="$PWD/artifacts/tools/node_modules/.bin/redocly"
}
