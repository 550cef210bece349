// Verifies a credential Tacit issued, as a holder's verifier would, with nothing of Tacit's: did-jwt-vc checks the
// VC-JWT's ES256 signature against the key its issuer's did:jwk resolves to (Sphereon's did:jwk resolver, offline),
// and its nbf. did-jwt-vc's format check knows only the VC 1.1 `vc` claim, so it is off: Open Badges 3.0 puts the
// credential itself in the payload (VC 2.0), and the test reads that shape.
// Usage: node scripts/verify-credential.cjs TOOLS_FOLDER FILE.jwt — prints {"verified":true,...} or exits 1.
const { createRequire } = require('node:module');
const { readFileSync } = require('node:fs');
const path = require('node:path');
const tools = createRequire(path.resolve(process.argv[2], 'package.json'));
const { verifyCredential } = tools('did-jwt-vc');
const { Resolver } = tools('did-resolver');
const { getDidJwkResolver } = tools('@sphereon/ssi-sdk-ext.did-resolver-jwk');

const jwt = readFileSync(process.argv[3], 'utf8').trim();
verifyCredential(jwt, new Resolver(getDidJwkResolver()), { policies: { format: false } }).then(
  verified => console.log(JSON.stringify({ verified: true, issuer: verified.issuer, signer: verified.signer.id, payload: verified.payload })),
  error => { console.log(JSON.stringify({ verified: false, error: String(error && error.message || error) })); process.exit(1); });
