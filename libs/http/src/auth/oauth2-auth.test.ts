import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { redactText, SecretSet } from '@switchyard/core';
import { startFaultServer, type FaultServer, type RecordedRequest } from '@switchyard/testing';
import { buildAuthorizationUrl, createHttpClient, createPkcePair, oauth2Auth, type OAuth2Tokens } from '../index';

describe('oauth2Auth', () => {
  let server: FaultServer;
  let issued = 0;
  const tokenRequests = (): RecordedRequest[] => server.requests.filter((request) => request.pathname === '/oauth/token');
  const apiRequests = (): RecordedRequest[] => server.requests.filter((request) => request.pathname === '/api/me');

  beforeAll(async () => {
    server = await startFaultServer({
      '/api/me': { body: { ok: true } },
      'POST /oauth/token': (request) => {
        const form = new URLSearchParams(request.body);
        if (form.get('refresh_token') === 'revoked-refresh-token')
          return {
            status: 400,
            body: { error: 'invalid_grant', error_description: `Token has been revoked: ${form.get('refresh_token')}` },
          };
        issued += 1;
        return {
          delayMs: 30,
          body: {
            access_token: `access-token-${issued}-abcdef`,
            refresh_token: `refresh-token-${issued}-abcdef`,
            expires_in: 3600,
            token_type: 'bearer',
          },
        };
      },
    });
  });

  beforeEach(() => {
    server.requests.length = 0;
  });

  afterAll(async () => {
    await server.close();
  });

  function client(auth: ReturnType<typeof oauth2Auth>, secrets = new SecretSet()) {
    return createHttpClient({ baseURL: `${server.url}/api`, allowPrivateNetwork: true, auth, secrets });
  }

  it('fetches one client-credentials token for concurrent requests (single flight) and reuses it', async () => {
    const auth = oauth2Auth({
      tokenURL: `${server.url}/oauth/token`,
      clientId: 'app',
      clientSecret: 'client-secret-123',
      grant: { type: 'client_credentials', scope: 'read' },
      allowPrivateNetwork: true,
    });
    const secrets = new SecretSet();
    const api = client(auth, secrets);
    await Promise.all(Array.from({ length: 10 }, () => api.request({ path: '/me' })));
    await api.request({ path: '/me' });
    expect(tokenRequests()).toHaveLength(1);
    const tokenRequest = tokenRequests()[0]!;
    expect(new URLSearchParams(tokenRequest.body).get('grant_type')).toBe('client_credentials');
    expect(new URLSearchParams(tokenRequest.body).get('scope')).toBe('read');
    expect(tokenRequest.headers.authorization).toBe(`Basic ${Buffer.from('app:client-secret-123').toString('base64')}`);
    const authorizations = new Set(apiRequests().map((request) => request.headers.authorization));
    expect(authorizations.size).toBe(1);
    expect([...authorizations][0]).toMatch(/^Bearer access-token-\d+-abcdef$/);
    expect(redactText(`client-secret-123 ${[...authorizations][0]}`, secrets)).toBe('[REDACTED] Bearer [REDACTED]');
  });

  it('keeps the access token in the client’s secrets, and a refreshed one replaces it', async () => {
    let clock = 1_000_000;
    const seen: OAuth2Tokens[] = [];
    const secrets = new SecretSet();
    const api = client(
      oauth2Auth({
        tokenURL: `${server.url}/oauth/token`,
        clientId: 'app',
        clientSecret: 'client-secret-123',
        grant: { type: 'refresh_token', refreshToken: 'initial-refresh-token' },
        allowPrivateNetwork: true,
        now: () => clock,
        onTokens: (tokens) => seen.push(tokens),
      }),
      secrets,
    );
    await api.request({ path: '/me' });
    const first = seen[0]!;
    expect(redactText(`${first.accessToken} ${first.refreshToken}`, secrets)).toBe('[REDACTED] [REDACTED]');
    const size = secrets.size;
    clock += 3_600_000;
    await api.request({ path: '/me' });
    await api.request({ path: '/me' });
    const second = seen[1]!;
    expect(seen).toHaveLength(2);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(apiRequests().at(-1)!.headers.authorization).toBe(`Bearer ${second.accessToken}`);
    expect(secrets.size).toBe(size);
    expect(redactText(`${second.accessToken} ${second.refreshToken} client-secret-123`, secrets)).toBe('[REDACTED] [REDACTED] [REDACTED]');
    // The replaced tokens are no longer held: nothing can send them any more.
    expect(redactText(first.accessToken, secrets)).toBe(first.accessToken);
    expect(redactText(first.refreshToken!, secrets)).toBe(first.refreshToken);
  });

  it('refreshes before expiry with the rotated refresh token, and reports new tokens', async () => {
    let clock = 1_000_000;
    const seen: OAuth2Tokens[] = [];
    const auth = oauth2Auth({
      tokenURL: `${server.url}/oauth/token`,
      clientId: 'app',
      clientAuthentication: 'body',
      clientSecret: 'client-secret-123',
      grant: { type: 'refresh_token', refreshToken: 'initial-refresh-token' },
      allowPrivateNetwork: true,
      now: () => clock,
      onTokens: (tokens) => seen.push(tokens),
    });
    const api = client(auth);
    await api.request({ path: '/me' });
    clock += 3_000_000;
    await api.request({ path: '/me' });
    expect(tokenRequests()).toHaveLength(1);
    clock += 560_000; // within the 60 s skew of the 3 600 s lifetime
    await api.request({ path: '/me' });
    const forms = tokenRequests().map((request) => new URLSearchParams(request.body));
    expect(forms).toHaveLength(2);
    expect(forms[0]!.get('refresh_token')).toBe('initial-refresh-token');
    expect(forms[0]!.get('client_secret')).toBe('client-secret-123');
    expect(forms[1]!.get('refresh_token')).toBe(seen[0]!.refreshToken);
    expect(seen).toHaveLength(2);
    expect(seen[0]!.expiresAt).toBe(1_000_000 + 3_600_000);
  });

  it('turns a rejected grant into a non-retryable auth error', async () => {
    const auth = oauth2Auth({
      tokenURL: `${server.url}/oauth/token`,
      clientId: 'app',
      grant: { type: 'refresh_token', refreshToken: 'revoked-refresh-token' },
      allowPrivateNetwork: true,
    });
    const error = await client(auth)
      .request({ path: '/me' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'auth', statusCode: 400, isRetryable: false });
    expect((error as Error).message).toContain('Token has been revoked');
    expect((error as Error).message).not.toContain('revoked-refresh-token');
    expect(apiRequests()).toHaveLength(0);
  });

  it('exchanges an authorization code with its PKCE verifier once, then refreshes after invalidate()', async () => {
    const pkce = createPkcePair();
    const auth = oauth2Auth({
      tokenURL: `${server.url}/oauth/token`,
      clientId: 'public-app',
      grant: {
        type: 'authorization_code',
        code: 'auth-code-123456',
        redirectURI: 'https://app.example/callback',
        codeVerifier: pkce.codeVerifier,
      },
      allowPrivateNetwork: true,
    });
    const api = client(auth);
    await api.request({ path: '/me' });
    auth.invalidate();
    await api.request({ path: '/me' });
    const forms = tokenRequests().map((request) => new URLSearchParams(request.body));
    expect(forms.map((form) => form.get('grant_type'))).toEqual(['authorization_code', 'refresh_token']);
    expect(forms[0]!.get('code_verifier')).toBe(pkce.codeVerifier);
    expect(forms[0]!.get('client_id')).toBe('public-app');
  });
});

describe('PKCE helpers', () => {
  it('creates an S256 pair and an authorization URL carrying it', () => {
    const pkce = createPkcePair();
    expect(pkce.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pkce.codeChallenge).toBe(createHash('sha256').update(pkce.codeVerifier).digest('base64url'));
    const url = new URL(
      buildAuthorizationUrl({
        authorizationURL: 'https://auth.example/authorize?audience=api',
        clientId: 'app',
        redirectURI: 'https://app.example/callback',
        scope: ['read', 'write'],
        state: 'state-1',
        codeChallenge: pkce.codeChallenge,
      }),
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      audience: 'api',
      response_type: 'code',
      client_id: 'app',
      redirect_uri: 'https://app.example/callback',
      scope: 'read write',
      state: 'state-1',
      code_challenge: pkce.codeChallenge,
      code_challenge_method: 'S256',
    });
  });
});
