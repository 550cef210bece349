# Sourced by test.sh: an independent verifier of the credentials Tacit issues (docs/credentials.md) — npm did-jwt-vc
# with the did-resolver for did:jwk — installed into artifacts/tools when missing or of another version; a web test
# (tests/Tacit.Web.Tests/Features/Evidence/EvidenceTests.Credentials.cs) runs scripts/verify-credential.cjs with it.
# After install_vc_verifier, $TACIT_TEST_VC_VERIFIER is the folder its node_modules are in.
DID_JWT_VC_VERSION=4.0.16
DID_RESOLVER_VERSION=4.1.0
DID_JWK_RESOLVER_VERSION=0.40.1

install_vc_verifier() {
  local tools=artifacts/tools
  if ! grep -qs "\"version\": \"$DID_JWT_VC_VERSION\"" "$tools/node_modules/did-jwt-vc/package.json" \
    || ! grep -qs "\"version\": \"$DID_JWK_RESOLVER_VERSION\"" "$tools/node_modules/@sphereon/ssi-sdk-ext.did-resolver-jwk/package.json"; then
    npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "did-jwt-vc@$DID_JWT_VC_VERSION" "did-resolver@$DID_RESOLVER_VERSION" \
      "@sphereon/ssi-sdk-ext.did-resolver-jwk@$DID_JWK_RESOLVER_VERSION" >/dev/null || return 1
  fi
  export TACIT_TEST_VC_VERIFIER="$PWD/$tools"
}
