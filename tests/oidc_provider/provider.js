// A real OpenID Connect provider for the login tests: panva's certified `oidc-provider`, with its development
// login and consent pages. Everything the test cares about comes from the environment:
//   OIDC_PORT      loopback port to listen on (the issuer is http://127.0.0.1:<port>)
//   OIDC_CLIENTS   JSON list of client metadata (client_id, client_secret, redirect_uris, ...)
//   OIDC_ACCOUNTS  JSON object: login name -> claims released for it (email, email_verified, nip, name, groups)
// Any password is accepted at the login page: the accounts are who the test says they are.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.OIDC_CLIENTS || '[]');
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS || '{}');

// A fresh signing key per run, published at the JWKS endpoint (the provider's dev keys would warn).
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: {
    // `groups` with any sign-in, as Keycloak's group mapper and Entra ID's group claims send it: an account
    // without groups sends no claim at all (unlike an empty list).
    openid: ['sub', 'groups'],
    email: ['email', 'email_verified'],
    nip: ['nip'],
    profile: ['name'],
  },
  // Release the scopes' claims in the ID token too (not only at userinfo), as the national IdP does.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, id) {
    if (!Object.hasOwn(accounts, id)) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) };
  },
});

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening at ${issuer}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
