import { generateKeyPairSync, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactText, SecretSet } from '@switchyard/core';
import { startFaultServer, type FaultServer } from '@switchyard/testing';
import { createHttpClient, createJwt, jwtBearerAuth, oauth2Auth } from '../index';

function decode(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
} {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>,
    signingInput: `${header}.${payload}`,
    signature: Buffer.from(signature, 'base64url'),
  };
}

describe('JWTs', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  let server: FaultServer;

  beforeAll(async () => {
    server = await startFaultServer({
      '/app': { body: { ok: true } },
      'POST /token': (request) => ({
        body: { access_token: `exchanged-${new URLSearchParams(request.body).get('grant_type')}`.padEnd(20, 'x'), expires_in: 3600 },
      }),
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it('createJwt signs verifiable RS256 and ES256 tokens with iat and exp', () => {
    const now = () => Date.parse('2026-11-22T00:00:00Z');
    const rs = decode(
      createJwt({
        privateKey: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
        claims: { iss: '123' },
        keyId: 'k1',
        now,
      }),
    );
    expect(rs.header).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'k1' });
    expect(rs.payload).toEqual({ iss: '123', iat: now() / 1000 - 30, exp: now() / 1000 + 600 });
    expect(verify('sha256', Buffer.from(rs.signingInput), rsa.publicKey, rs.signature)).toBe(true);
    const es = decode(createJwt({ privateKey: ec.privateKey, algorithm: 'ES256', claims: { sub: 'svc' } }));
    expect(verify('sha256', Buffer.from(es.signingInput), { key: ec.publicKey, dsaEncoding: 'ieee-p1363' }, es.signature)).toBe(true);
  });

  it('jwtBearerAuth sends the JWT and re-signs it only near expiry, the new JWT replacing the old in the client’s secrets', async () => {
    let clock = Date.parse('2026-11-22T00:00:00Z');
    const secrets = new SecretSet();
    const client = createHttpClient({
      baseURL: server.url,
      allowPrivateNetwork: true,
      secrets,
      auth: jwtBearerAuth({ privateKey: rsa.privateKey, claims: { iss: 'app' }, lifetimeSeconds: 600, now: () => clock }),
    });
    await client.request({ path: '/app' });
    clock += 60_000;
    await client.request({ path: '/app' });
    clock += 500_000;
    await client.request({ path: '/app' });
    const tokens = server.requests.filter((request) => request.pathname === '/app').map((request) => String(request.headers.authorization));
    expect(tokens[0]).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(tokens[1]).toBe(tokens[0]);
    expect(tokens[2]).not.toBe(tokens[0]);
    const [first, latest] = [tokens[0]!.slice('Bearer '.length), tokens[2]!.slice('Bearer '.length)];
    expect(secrets.size).toBe(1);
    expect(redactText(latest, secrets)).toBe('[REDACTED]');
    expect(redactText(first, secrets)).toBe(first);
  });

  it('oauth2Auth exchanges a JWT assertion (RFC 7523)', async () => {
    const auth = oauth2Auth({
      tokenURL: `${server.url}/token`,
      clientId: 'svc',
      allowPrivateNetwork: true,
      grant: {
        type: 'jwt_bearer',
        assertion: () => createJwt({ privateKey: rsa.privateKey, claims: { iss: 'svc@example', aud: `${server.url}/token` } }),
      },
    });
    const client = createHttpClient({ baseURL: server.url, allowPrivateNetwork: true, auth });
    await client.request({ path: '/app' });
    const form = new URLSearchParams(server.requests.find((request) => request.pathname === '/token')!.body);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(decode(form.get('assertion')!).payload.iss).toBe('svc@example');
    expect(server.requests.at(-1)!.headers.authorization).toMatch(/^Bearer exchanged-urn/);
  });
});
