import { inspect } from 'node:util';
import { createCallContext, startFaultServer, testProvider, type FaultServer } from '@switchyard/testing';
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
