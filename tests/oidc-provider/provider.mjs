// A real OpenID Connect provider (npm oidc-provider) on loopback, for Tacit's company sign-in tests.
//   node provider.mjs PORT      prints "listening <issuer>" once it serves.
// The tests drive it through a few control requests under /test (JSON bodies), never used by Tacit itself:
//   POST /test/clients   {client_id, client_secret, redirect_uris, post_logout_redirect_uris}  registers a client
//   POST /test/accounts  {sub, email, email_verified, name}                                     adds a person
//   POST /test/fault     {fault: "wrong-audience" | "wrong-issuer" | "expired" | "tampered"}
//        spoils the id_token of the next token response: the first three re-signed with the provider's own key (so
//        only the claim is wrong), "tampered" with its payload changed and the signature left as it was.
// Sign-in at the provider is a form asking for the email of one of its accounts (the login_hint fills it in); consent
// is taken as given, as a company's provider does for its own applications.
import Provider from 'oidc-provider';
import * as jose from 'jose';

const port = Number(process.argv[2] ?? 0);
const issuer = `http://127.0.0.1:${port}`;
const store = new Map();
const accounts = new Map();
let nextFault = null;

/** oidc-provider's storage, in memory; clients registered by the tests live here too. */
class MemoryAdapter {
  constructor(name) { this.name = name; }
  key(id) { return `${this.name}:${id}`; }
  async upsert(id, payload) { store.set(this.key(id), payload); }
  async find(id) { return store.get(this.key(id)); }
  async findByUserCode() { return undefined; }
  async findByUid(uid) { for (const [k, v] of store) if (k.startsWith(`${this.name}:`) && v.uid === uid) return v; return undefined; }
  async consume(id) { const v = store.get(this.key(id)); if (v) v.consumed = Math.floor(Date.now() / 1000); }
  async destroy(id) { store.delete(this.key(id)); }
  async revokeByGrantId(grantId) { for (const [k, v] of store) if (v.grantId === grantId) store.delete(k); }
}

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await jose.exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  adapter: MemoryAdapter,
  jwks: { keys: [jwk] },
  cookies: { keys: ['only-a-test-provider'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
  pkce: { required: () => true },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: async (ctx, sub) => accounts.has(sub)
    ? { accountId: sub, claims: async () => ({ sub, ...accounts.get(sub) }) }
    : undefined,
  // Consent is given: a company's provider does not ask its people whether its own applications may know them.
  loadExistingGrant: async (ctx) => {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

async function json(ctx) {
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

async function form(ctx) {
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const escape = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid, email, error) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test company sign-in</title></head><body>
<main><h1>Test company sign-in</h1>${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}"><label for="email">Work email</label>
<input id="email" name="email" type="email" value="${escape(email)}"><button type="submit">Sign in to the company</button></form></main></body></html>`;
}

async function spoil(idToken, fault) {
  const [header, payload, signature] = idToken.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  const now = Math.floor(Date.now() / 1000);
  if (fault === 'tampered') {
    claims.sub = 'someone-else';
    return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
  }
  if (fault === 'wrong-audience') claims.aud = 'another-application';
  else if (fault === 'wrong-issuer') claims.iss = 'http://127.0.0.1:1/another-provider';
  else if (fault === 'expired') { claims.iat = now - 7200; claims.exp = now - 3600; }
  else throw new Error(`unknown fault ${fault}`);
  return new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(privateKey);
}

provider.use(async (ctx, next) => {
  if (ctx.method === 'POST' && ctx.path === '/test/clients') {
    const c = await json(ctx);
    await new MemoryAdapter('Client').upsert(c.client_id, {
      client_id: c.client_id,
      client_secret: c.client_secret,
      redirect_uris: c.redirect_uris,
      post_logout_redirect_uris: c.post_logout_redirect_uris ?? [],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    });
    ctx.status = 204;
    return;
  }
  if (ctx.method === 'POST' && ctx.path === '/test/accounts') {
    const a = await json(ctx);
    accounts.set(a.sub, { email: a.email, email_verified: a.email_verified ?? true, name: a.name ?? a.email });
    ctx.status = 204;
    return;
  }
  if (ctx.method === 'POST' && ctx.path === '/test/fault') {
    nextFault = (await json(ctx)).fault;
    ctx.status = 204;
    return;
  }
  const interaction = /^\/interaction\/([^/]+)$/.exec(ctx.path);
  if (interaction) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (ctx.method === 'GET') {
      ctx.type = 'html';
      ctx.body = loginPage(interaction[1], details.params.login_hint);
      return;
    }
    const email = (await form(ctx)).get('email') ?? '';
    const sub = [...accounts].find(([, a]) => a.email.toLowerCase() === email.toLowerCase())?.[0];
    if (!sub) {
      ctx.type = 'html';
      ctx.body = loginPage(interaction[1], email, 'No account at this provider has that email.');
      return;
    }
    ctx.status = 303;
    ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, { login: { accountId: sub } }, { mergeWithLastSubmission: false }));
    return;
  }
  await next();
  if (ctx.path === '/token' && nextFault && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: await spoil(ctx.body.id_token, nextFault) };
    nextFault = null;
  }
});

provider.listen(port, '127.0.0.1', () => console.log(`listening ${issuer}`));
