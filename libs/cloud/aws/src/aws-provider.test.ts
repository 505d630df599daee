import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { redact, redactText } from '@switchyard/core';
import { createCallContext, type FaultServer, printedForms, startFaultServer, testProvider } from '@switchyard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAws } from './index';
import { MOTO_CREDENTIALS, startMotoServer, type MotoServer } from './testing/index';

testProvider({ id: 'aws', category: 'cloud', create: () => createAws() });

const ENVIRONMENT = ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_S3'] as const;

describe('createAws settings', () => {
  const saved = Object.fromEntries(ENVIRONMENT.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const name of ENVIRONMENT) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('uses the public endpoints in us-east-1 when nothing is set', () => {
    for (const name of ENVIRONMENT) delete process.env[name];
    expect(createAws()).toMatchObject({ region: 'us-east-1', baseURL: undefined });
  });

  it('takes the region from settings, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    process.env.AWS_DEFAULT_REGION = 'eu-central-1';
    delete process.env.AWS_REGION;
    expect(createAws().region).toBe('eu-central-1');
    process.env.AWS_REGION = 'eu-west-1';
    expect(createAws().region).toBe('eu-west-1');
    expect(createAws({ region: 'ap-south-1' }).region).toBe('ap-south-1');
  });

  it('takes baseURL from settings, then AWS_ENDPOINT_URL, without trailing slashes', () => {
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9/from-environment/';
    expect(createAws().baseURL).toBe('http://127.0.0.1:9/from-environment');
    expect(createAws({ baseURL: 'http://127.0.0.1:9/from-settings/' }).baseURL).toBe('http://127.0.0.1:9/from-settings');
  });

  it('sends every request through the requestHandler given, the SDK’s equivalent of a dispatcher', async () => {
    const sent: string[] = [];
    const requestHandler = {
      handle: (request: { method: string; hostname: string; path: string }) => {
        sent.push(`${request.method} ${request.hostname}${request.path}`);
        return Promise.resolve({ response: { statusCode: 200, headers: { etag: '"e"', 'content-length': '0' }, body: Readable.from([]) } });
      },
      updateHttpClientConfig: () => undefined,
      httpHandlerConfigs: () => ({}),
    };
    const provider = createAws({ baseURL: 'http://127.0.0.1:9', credentials: MOTO_CREDENTIALS, requestHandler });
    const head = await provider.execute(
      { capability: 'storage', operation: 'headObject', input: { bucket: 'handled-bucket', key: 'a.txt' } },
      createCallContext(),
    );
    expect(head).toMatchObject({ bucket: 'handled-bucket', key: 'a.txt', etag: 'e' });
    expect(sent).toEqual(['HEAD 127.0.0.1/handled-bucket/a.txt']);
  });

  it('lists only the enabled capabilities in its manifest', () => {
    const names = (capabilities?: ('storage' | 'functions' | 'compute')[]) =>
      createAws({ capabilities }).manifest.capabilities.map((capability) => `${capability.name} v${capability.version}`);
    expect(names()).toEqual(['storage v1', 'functions v1', 'compute v1']);
    expect(names(['compute'])).toEqual(['compute v1']);
  });

  it('refuses a capability that is not enabled without calling AWS', async () => {
    const provider = createAws({ capabilities: ['storage'], baseURL: 'http://127.0.0.1:9' });
    const outcome = await provider
      .execute({ capability: 'compute', operation: 'listInstances', input: {} }, createCallContext())
      .catch((error: unknown) => error);
    expect(outcome).toMatchObject({ kind: 'unsupported', operation: 'compute.listInstances' });
  });

  it('parses a direct call against the contract, naming each bad field, without calling AWS', async () => {
    const provider = createAws({ capabilities: ['storage'], baseURL: 'http://127.0.0.1:9' });
    const outcome = await provider
      .execute({ capability: 'storage', operation: 'getObject', input: { bucket: 'ok-bucket' } }, createCallContext())
      .then(
        () => undefined,
        (error: unknown) => error as { kind: string; operation: string; message: string },
      );
    expect(outcome).toMatchObject({ kind: 'validation', operation: 'storage.getObject' });
    expect(outcome?.message).toMatch(/^aws: invalid input for storage\.getObject: key: /);
  });
});

describe('secrets', () => {
  let server: FaultServer;
  const secretAccessKey = 'planted-aws-secret-key-0123456789';

  beforeAll(async () => {
    server = await startFaultServer({
      '/leaky-bucket/a.txt': {
        status: 403,
        headers: { 'content-type': 'application/xml' },
        body: `<Error><Code>SignatureDoesNotMatch</Code><Message>We computed a signature with ${secretAccessKey}</Message></Error>`,
      },
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it('never shows the secret access key in errors, even when AWS echoes it', async () => {
    const provider = createAws({ baseURL: server.url, credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey } });
    const error = await provider
      .execute({ capability: 'storage', operation: 'getObject', input: { bucket: 'leaky-bucket', key: 'a.txt' } }, createCallContext())
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'auth', statusCode: 403 });
    expect(inspect(error, { depth: 10 })).not.toContain(secretAccessKey);
    expect(JSON.stringify(error)).not.toContain(secretAccessKey);
  });

  it('redacts a session token its SDK put in a presigned URL or a header, wherever it shows', () => {
    const { secrets } = createAws();
    const url =
      'https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F20260101&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEFoaCXVz&X-Amz-Signature=0a1b2c';
    expect(redactText(url, secrets)).toBe(
      'https://b.s3.amazonaws.com/k?X-Amz-Credential=[REDACTED]&X-Amz-Security-Token=[REDACTED]&X-Amz-Signature=[REDACTED]',
    );
    expect(redact({ headers: { 'X-Amz-Security-Token': 'IQoJb3JpZ2luX2VjEFoaCXVz' } }, secrets)).toEqual({
      headers: { 'X-Amz-Security-Token': '[REDACTED]' },
    });
  });

  it('holds no secret of its settings in any property, hidden or serialized', async () => {
    const sessionToken = 'planted-aws-session-token-9876543210';
    const provider = createAws({ baseURL: server.url, credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey, sessionToken } });
    // After a call too: the SDK clients it created and the identity they resolved live in closures only.
    await provider
      .execute({ capability: 'storage', operation: 'getObject', input: { bucket: 'leaky-bucket', key: 'a.txt' } }, createCallContext())
      .catch(() => undefined);
    const text = printedForms(provider);
    expect(text).not.toContain(secretAccessKey);
    expect(text).not.toContain(sessionToken);
  });
});

describe('credentials from the default chain', () => {
  const names = [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_PROFILE',
    'AWS_SHARED_CREDENTIALS_FILE',
    'AWS_CONFIG_FILE',
    'AWS_EC2_METADATA_DISABLED',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  ];
  const withoutChain = () => {
    for (const name of names) delete process.env[name];
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/switchyard/credentials';
    process.env.AWS_CONFIG_FILE = '/nonexistent/switchyard/config';
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
  };
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const name of names) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('fails with auth, before any request, when the chain finds no credentials', async () => {
    withoutChain();
    const server = await startFaultServer();
    try {
      const outcome = await createAws({ baseURL: server.url })
        .execute({ capability: 'storage', operation: 'headObject', input: { bucket: 'any-bucket', key: 'a' } }, createCallContext())
        .catch((error: unknown) => error);
      expect(outcome).toMatchObject({ kind: 'auth', isRetryable: false });
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('redacts a secret key it found in the environment', async () => {
    const secret = 'environment-secret-key-for-redaction';
    process.env.AWS_ACCESS_KEY_ID = 'AKIAENVIRONMENT';
    process.env.AWS_SECRET_ACCESS_KEY = secret;
    const server = await startFaultServer({
      '/env-bucket/a.txt': {
        status: 403,
        headers: { 'content-type': 'application/xml' },
        body: `<Error><Code>AccessDenied</Code><Message>no for ${secret}</Message></Error>`,
      },
    });
    try {
      const outcome = await createAws({ baseURL: server.url })
        .execute({ capability: 'storage', operation: 'getObject', input: { bucket: 'env-bucket', key: 'a.txt' } }, createCallContext())
        .catch((error: unknown) => error);
      expect(outcome).toMatchObject({ kind: 'auth' });
      expect(inspect(outcome, { depth: 10 })).not.toContain(secret);
    } finally {
      await server.close();
    }
  });

  it('keeps the identity the SDK refreshes in place of the one before it, so the live session token is redacted', async () => {
    withoutChain();
    let issued = 0;
    const server = await startFaultServer({
      // Container credentials that the SDK treats as expiring 1.5 s after they are issued (it refreshes 5 min early).
      'GET /credentials': () => {
        issued += 1;
        const Expiration = new Date(Date.now() + 301_500).toISOString();
        return {
          body: {
            AccessKeyId: 'AKIAROTATING',
            SecretAccessKey: `rotating-secret-key-${issued}`,
            Token: `rotating-session-${issued}`,
            Expiration,
          },
        };
      },
      // A service that echoes the session token it was sent.
      '/echo-bucket/a.txt': (request) => ({
        status: 403,
        headers: { 'content-type': 'application/xml' },
        body: `<Error><Code>AccessDenied</Code><Message>session ${String(request.headers['x-amz-security-token'])} refused</Message></Error>`,
      }),
    });
    try {
      process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = `${server.url}/credentials`;
      const provider = createAws({ baseURL: server.url, capabilities: ['storage'] });
      const getObject = () =>
        provider
          .execute({ capability: 'storage', operation: 'getObject', input: { bucket: 'echo-bucket', key: 'a.txt' } }, createCallContext())
          .then(
            () => expect.fail('the call should fail'),
            (error: unknown) => error as Error,
          );
      const echoed = 'aws: storage.getObject failed with 403 AccessDenied: session [REDACTED] refused';
      expect((await getObject()).message).toBe(echoed);
      const size = provider.secrets?.size;
      // Past the refresh window: the SDK refreshes in the background, so this call or the next sends the new token.
      await sleep(2_000);
      expect((await getObject()).message).toBe(echoed);
      await sleep(200);
      const last = await getObject();
      expect(last.message).toBe(echoed);
      expect(inspect(last, { depth: 10 })).not.toContain('rotating-session-2');
      const sent = server.requests.filter((request) => request.pathname === '/echo-bucket/a.txt');
      expect(sent.at(0)?.headers['x-amz-security-token']).toBe('rotating-session-1');
      expect(sent.at(-1)?.headers['x-amz-security-token'], 'the SDK sent a refreshed token').toBe('rotating-session-2');
      expect(provider.secrets?.size, 'the refreshed identity replaced the old one').toBe(size);
      expect(redactText('rotating-session-1', provider.secrets), 'the old token is no longer kept').toBe('rotating-session-1');
    } finally {
      await server.close();
    }
  });
});

describe('healthCheck (infrastructure status)', () => {
  let moto: MotoServer;

  beforeAll(async () => {
    moto = await startMotoServer();
  }, 60_000);

  afterAll(async () => {
    await moto?.stop();
  });

  it('reports S3, Lambda and EC2 reachable on moto, with their latency', async () => {
    const provider = createAws({ baseURL: moto.url, credentials: MOTO_CREDENTIALS });
    const report = await provider.healthCheck({ signal: AbortSignal.timeout(10_000) });
    expect(report.services.map(({ service, reachable, error }) => ({ service, reachable, error }))).toEqual([
      { service: 's3', reachable: true, error: undefined },
      { service: 'lambda', reachable: true, error: undefined },
      { service: 'ec2', reachable: true, error: undefined },
    ]);
    for (const service of report.services) expect(service.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('reports only the configured services, and an unreachable one with its error kind', async () => {
    const provider = createAws({
      baseURL: moto.url,
      credentials: MOTO_CREDENTIALS,
      capabilities: ['storage', 'compute'],
      ec2: { endpoint: 'http://127.0.0.1:9' },
    });
    const report = await provider.healthCheck({ signal: AbortSignal.timeout(10_000) });
    expect(report.services).toEqual([
      { service: 's3', reachable: true, latencyMs: expect.any(Number) as number },
      {
        service: 'ec2',
        reachable: false,
        latencyMs: expect.any(Number) as number,
        error: { kind: 'network', message: expect.stringContaining('ECONNREFUSED') as string },
      },
    ]);
  });
});
