import { generateKeyPairSync } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import { redactText } from '@switchyard/core';
import { createCallContext, printedForms, startFaultServer, testProvider } from '@switchyard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createGcp } from './index';

const PRIVATE_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const CREDENTIALS = { clientEmail: 'secrets@switchyard-test.iam.gserviceaccount.com', privateKey: PRIVATE_KEY };

testProvider({ id: 'gcp', category: 'cloud', create: () => createGcp() });

describe('createGcp', () => {
  afterEach(() => {
    delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
  });

  it('offers storage alone until functions or compute settings are given', () => {
    expect(createGcp().services).toEqual(['storage']);
    expect(createGcp({ compute: { zones: ['europe-west1-b'] } }).services).toEqual(['storage', 'compute']);
    const everything = createGcp({ functions: { location: 'europe-west1' }, compute: {} });
    expect(everything.services).toEqual(['storage', 'functions', 'compute']);
    expect(everything.manifest.capabilities.map((capability) => capability.name)).toEqual(['storage', 'functions', 'compute']);
  });

  it('reads GOOGLE_APPLICATION_CREDENTIALS only when an operation runs, and names it when the file is missing', async () => {
    process.env.GOOGLE_APPLICATION_CREDENTIALS = '/nonexistent/switchyard-key.json';
    const gcp = createGcp({ projectId: 'switchyard-test', storage: { apiEndpoint: 'http://127.0.0.1:9' } });
    const outcome = await gcp
      .execute({ capability: 'storage', operation: 'headObject', input: { bucket: 'reports', key: 'a.txt' } }, createCallContext())
      .then(
        () => undefined,
        (error: unknown) => error as { kind: string; message: string },
      );
    expect(outcome?.kind).toBe('auth');
    expect(outcome?.message).toContain('GOOGLE_APPLICATION_CREDENTIALS');
  });

  it('parses a direct call against the contract, then applies Cloud Storage naming rules, before reading credentials', async () => {
    process.env.GOOGLE_APPLICATION_CREDENTIALS = '/nonexistent/switchyard-key.json';
    const gcp = createGcp({ projectId: 'switchyard-test', storage: { apiEndpoint: 'http://127.0.0.1:9' } });
    const failure = (input: unknown) =>
      gcp.execute({ capability: 'storage', operation: 'headObject', input }, createCallContext()).then(
        () => undefined,
        (error: unknown) => error as { kind: string; message: string },
      );
    const missingKey = await failure({ bucket: 'reports' });
    expect(missingKey?.kind).toBe('validation');
    expect(missingKey?.message).toMatch(/^gcp: invalid input for storage\.headObject: key: /);
    const reservedName = await failure({ bucket: 'google-reports', key: 'a.txt' });
    expect(reservedName?.kind).toBe('validation');
    expect(reservedName?.message).toContain('Cloud Storage naming rules');
  });

  it('names the input Google would refuse before any call, so a hub can try the next provider', () => {
    const gcp = createGcp({ projectId: 'switchyard-test', functions: { location: 'europe-west1' } });
    const refuses = (capability: 'storage' | 'functions' | 'compute', operation: string, input: unknown) =>
      gcp.refuses?.({ capability, operation, input });
    expect(refuses('storage', 'createBucket', { bucket: 'goog-x' })).toBe(
      'bucket name "goog-x" must not start with "goog" (Cloud Storage naming rules)',
    );
    expect(refuses('storage', 'putObject', { bucket: 'reports', key: '.well-known/acme-challenge/x', body: 'x' })).toBe(
      'object name ".well-known/acme-challenge/x" must not start with ".well-known/acme-challenge/"',
    );
    expect(refuses('functions', 'deployFunction', { name: 'resize-', runtime: 'nodejs22', source: 'x' })).toBe(
      'function name "resize-" must end with a letter or digit (Cloud Functions naming rules)',
    );
    expect(refuses('storage', 'putObject', { bucket: 'reports', key: 'a.txt', body: 'x' })).toBeUndefined();
    expect(refuses('functions', 'deployFunction', { name: 'resize', runtime: 'nodejs22', source: 'x' })).toBeUndefined();
    expect(refuses('compute', 'getInstance', { instanceId: 'europe-west1-b/goog-x' }), 'another capability').toBeUndefined();
  });
});

describe('secrets', () => {
  it('holds no secret of its settings in any property, hidden or serialized', () => {
    const accessToken = 'planted-gcp-access-token-0123456789';
    const providers = [
      createGcp({ projectId: 'switchyard-test', accessToken, functions: { location: 'europe-west1' }, compute: {} }),
      createGcp({ projectId: 'switchyard-test', credentials: CREDENTIALS, functions: { location: 'europe-west1' }, compute: {} }),
    ];
    const keyLine = PRIVATE_KEY.split('\n')[1] ?? 'missing';
    for (const provider of providers) {
      const text = printedForms(provider);
      expect(text).not.toContain(accessToken);
      expect(text).not.toContain(keyLine);
    }
  });

  it('hides any Google OAuth2 access token (ya29.…), even one it never saw', () => {
    expect(redactText('caller ya29.A0ARrdaM-k9Vq_xyz0123 may not read', createGcp().secrets)).toBe('caller [REDACTED] may not read');
  });

  it('keeps only the current access token: a refreshed one replaces the last, and each is redacted while live', async () => {
    let issued = 0;
    const instancePath = '/compute/v1/projects/switchyard-test/zones/europe-west1-b/instances/web-1';
    const server = await startFaultServer({
      // Tokens that live 2 s: the client refreshes them after half their lifetime.
      'POST /token': () => {
        issued += 1;
        return { body: { token_type: 'Bearer', expires_in: 2, access_token: `gcp-access-${issued}-0123456789` } };
      },
      // A service that echoes the token it was sent, without the words ("Bearer", "token") a generic pattern would catch.
      [`GET ${instancePath}`]: (request) => ({
        status: 403,
        body: {
          error: {
            code: 403,
            message: `caller ${request.headers.authorization?.slice(7) ?? ''} may not read`,
            status: 'PERMISSION_DENIED',
          },
        },
      }),
    });
    try {
      const gcp = createGcp({
        projectId: 'switchyard-test',
        credentials: CREDENTIALS,
        tokenURL: `${server.url}/token`,
        compute: { zones: ['europe-west1-b'], baseURL: `${server.url}/compute/v1` },
        allowPrivateNetwork: true,
      });
      const getInstance = () =>
        gcp
          .execute({ capability: 'compute', operation: 'getInstance', input: { instanceId: 'europe-west1-b/web-1' } }, createCallContext())
          .then(
            () => expect.fail('the call should fail'),
            (error: unknown) => error as Error,
          );
      expect((await getInstance()).message).toContain('caller [REDACTED] may not read');
      const size = gcp.secrets?.size;
      await sleep(1_100);
      const second = await getInstance();
      expect(issued, 'a second token was fetched').toBe(2);
      expect(second.message).toContain('caller [REDACTED] may not read');
      expect(inspect(second, { depth: 10 })).not.toContain('gcp-access-2-0123456789');
      expect(gcp.secrets?.size, 'the new token took the old one’s place').toBe(size);
      expect(redactText('gcp-access-1-0123456789', gcp.secrets), 'the expired token is no longer kept').toBe('gcp-access-1-0123456789');
    } finally {
      await server.close();
    }
  });
});
