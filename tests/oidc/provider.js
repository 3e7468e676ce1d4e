// A real OpenID Connect provider (oidc-provider from npm) for the browser tests of
// single sign-on: on 127.0.0.1, on a free port, which it prints as its first line
// ("listening <port>"). Started and stopped by tests/browser/test_sso.py.
//
// Started once per test run, before any app's address is known: the client is
// registered as a loopback one (RFC 8252), so its redirect addresses on 127.0.0.1
// match whatever port each test's app listens on.
//
// Settings (environment): CLIENT_ID, CLIENT_SECRET, ACCOUNTS (JSON: login ->
// claims), and CLOCK_PINNED_AT, the moment the tests stop the service's clock at.
// This provider's clock stands still at the same moment, so the tokens it issues
// are exactly as fresh to the service however long after its start a test signs
// in (a running clock would issue tokens "from the future" a minute later).
//
// Its cookies carry an absolute expiry reckoned on that clock, but the browser
// judges them on the machine's: sessions and sign-in steps last a year longer than
// the pinned moment lies behind the machine's clock, so they stay valid on any
// day the tests run.
import http from 'node:http';

import Provider from 'oidc-provider';

const machineNow = Date.now();
const pinned = process.env.CLOCK_PINNED_AT ? Date.parse(process.env.CLOCK_PINNED_AT) : machineNow;
Date.now = () => pinned;

const accounts = JSON.parse(process.env.ACCOUNTS || '{}');
const LONG = 365 * 24 * 3600 + Math.max(0, Math.ceil((machineNow - pinned) / 1000));

const configuration = {
  clients: [{
    client_id: process.env.CLIENT_ID,
    client_secret: process.env.CLIENT_SECRET,
    application_type: 'native',
    redirect_uris: ['http://127.0.0.1/sign-in/sso/callback'],
    post_logout_redirect_uris: ['http://127.0.0.1/sign-in'],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  pkce: { required: () => true },
  // The claims the service reads (roles and team), in the ID token itself.
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'roles', 'team'] },
  conformIdTokenClaims: false,
  ttl: { Interaction: LONG, Session: LONG, Grant: LONG, IdToken: 600, AccessToken: 600, AuthorizationCode: 60 },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, id) {
    const claims = accounts[id] || {};
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: `${id}@example.com`, email_verified: true, ...claims };
      },
    };
  },
};

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const provider = new Provider(`http://127.0.0.1:${port}`, configuration);
  server.on('request', provider.callback());
  process.stdout.write(`listening ${port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
