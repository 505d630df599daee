import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHub, IntegrationError } from '@switchyard/core';
import { createCallContext, testComputeProvider } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startComputeEngineFake, type ComputeEngineFake } from './__peers__/compute-engine-fake';
import { createGcp, type GcpProviderSettings } from './index';

const PROJECT = 'switchyard-test';
const ZONES = ['europe-west1-b', 'europe-west1-c'];
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_KEY = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PUBLIC_KEY = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const CLIENT_EMAIL = 'compute-tests@switchyard-test.iam.gserviceaccount.com';

let fake: ComputeEngineFake;

beforeAll(async () => {
  fake = await startComputeEngineFake({ project: PROJECT, zones: ZONES, publicKeyPem: PUBLIC_KEY });
});

afterAll(async () => {
  await fake.stop();
});

function createCompute(settings: Partial<GcpProviderSettings> = {}) {
  return createGcp({
    projectId: PROJECT,
    credentials: { clientEmail: CLIENT_EMAIL, privateKey: PRIVATE_KEY },
    compute: { zones: ZONES, baseURL: fake.baseURL },
    tokenURL: fake.tokenURL,
    allowPrivateNetwork: true,
    ...settings,
  });
}

function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

async function failure(promise: Promise<unknown>): Promise<IntegrationError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(IntegrationError.isInstance(outcome), `rejected with an IntegrationError: ${String(outcome)}`).toBe(true);
  return outcome as IntegrationError;
}

const execute = (provider: ReturnType<typeof createCompute>, operation: string, input: unknown) =>
  provider.execute({ capability: 'compute', operation, input }, createCallContext());

testComputeProvider({
  create: () => createCompute(),
  instances: () =>
    Promise.resolve({
      running: fake.addInstance(ZONES[0] ?? '', uniqueName('web'), 'RUNNING'),
      stopped: fake.addInstance(ZONES[1] ?? '', uniqueName('batch'), 'TERMINATED'),
    }),
  missingInstanceId: `${ZONES[0] ?? ''}/no-such-instance`,
  settleTimeoutMs: 5000,
  additionalTests: ({ createClient }) => {
    it('maps the documented Instance resource: zone/name id, machine type, addresses, labels, UTC launch time', async () => {
      const instanceId = fake.addInstance('europe-west1-b', uniqueName('mapped'), 'RUNNING');
      const instance = await createClient().call('getInstance', { instanceId });
      expect(instance).toEqual({
        id: instanceId,
        name: instanceId.split('/')[1],
        state: 'running',
        providerState: 'RUNNING',
        machineType: 'e2-small',
        zone: 'europe-west1-b',
        privateIp: '10.132.0.2',
        publicIp: '203.0.113.10',
        launchedAt: '2025-01-15T10:30:12.000Z',
        labels: { team: 'web' },
      });
    });

    it('lists every zone through aggregated/instances when no zones are configured', async () => {
      const running = fake.addInstance('europe-west1-c', uniqueName('agg'), 'RUNNING');
      const gcp = createCompute({ compute: { baseURL: fake.baseURL } });
      const requestsBefore = fake.requests.length;
      const listed = (await execute(gcp, 'listInstances', { state: 'running', limit: 100 })) as {
        instances: { id: string; state: string }[];
      };
      expect(listed.instances.map((instance) => instance.id)).toContain(running);
      expect(fake.requests.slice(requestsBefore)).toEqual([
        `GET /compute/v1/projects/${PROJECT}/aggregated/instances?filter=status%20%3D%20RUNNING&maxResults=100`,
      ]);
    });
  },
});

describe('gcp compute requests, errors and secrets', () => {
  it('sends the stopped filter as OR-ed statuses', async () => {
    const requestsBefore = fake.requests.length;
    await execute(createCompute({ compute: { zones: ['europe-west1-b'], baseURL: fake.baseURL } }), 'listInstances', {
      state: 'stopped',
      limit: 5,
    });
    expect(decodeURIComponent(fake.requests[requestsBefore] ?? '').replaceAll('+', ' ')).toContain(
      'filter=(status = STOPPED) OR (status = TERMINATED) OR (status = SUSPENDED)',
    );
  });

  it('refuses an id without a zone with validation, sending nothing', async () => {
    const requestsBefore = fake.requests.length;
    const error = await failure(execute(createCompute(), 'getInstance', { instanceId: 'web-1' }));
    expect(error.kind).toBe('validation');
    expect(error.message).toContain('zone/name');
    expect(fake.requests.length).toBe(requestsBefore);
  });

  it('exchanges one assertion for a token and reuses it across calls', async () => {
    const gcp = createCompute();
    const tokensBefore = fake.tokenRequests();
    await execute(gcp, 'listInstances', { limit: 1 });
    await execute(gcp, 'listInstances', { limit: 1 });
    expect(fake.tokenRequests() - tokensBefore).toBe(1);
  });

  it('reads the service account and project from a JSON key file (keyFilename)', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'switchyard-gcp-key-'));
    const keyFilename = join(directory, 'key.json');
    await writeFile(
      keyFilename,
      JSON.stringify({ type: 'service_account', project_id: PROJECT, client_email: CLIENT_EMAIL, private_key: PRIVATE_KEY }),
    );
    try {
      const gcp = createCompute({ projectId: undefined, credentials: undefined, keyFilename });
      const requestsBefore = fake.requests.length;
      await execute(gcp, 'listInstances', { limit: 1 });
      expect(fake.requests[requestsBefore]).toContain(`/projects/${PROJECT}/zones/`);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('reports a key the token endpoint rejects as auth', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const error = await failure(
      execute(createCompute({ credentials: { clientEmail: CLIENT_EMAIL, privateKey: other } }), 'listInstances', {}),
    );
    expect(error.kind).toBe('auth');
  });

  it('reports a missing zone as not_found quoting Compute Engine with its status', async () => {
    const error = await failure(execute(createCompute(), 'getInstance', { instanceId: 'mars-north1-a/web-1' }));
    expect(error).toMatchObject({ kind: 'not_found', statusCode: 404, operation: 'compute.getInstance' });
    expect(error.message).toContain("NOT_FOUND: The resource 'projects/switchyard-test/zones/mars-north1-a' was not found");
  });

  it('keeps the private key and access token out of errors and hub events', async () => {
    const seen: unknown[] = [];
    const hub = createHub({
      providers: [createCompute()],
      events: { request: (event) => seen.push(event), attempt: (event) => seen.push(event) },
    });
    await hub.compute.listInstances({ limit: 1 });
    const outcome = await hub.compute.getInstance({ instanceId: `${ZONES[0] ?? ''}/no-such-instance` }).then(
      () => undefined,
      (error: unknown) => error,
    );
    const token = fake.issuedTokens.at(-1) ?? 'missing';
    const keyLine = PRIVATE_KEY.split('\n')[1] ?? 'missing';
    for (const text of [JSON.stringify(outcome), String(outcome), JSON.stringify(seen)]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(keyLine);
    }
    await hub.close();
  });

  it('reports compute (and storage) in its health check', async () => {
    const report = await createCompute({ storage: { apiEndpoint: 'http://127.0.0.1:9' } }).healthCheck?.({
      signal: new AbortController().signal,
    });
    expect(report).toMatchObject({
      services: [
        { service: 'storage', reachable: false, error: { kind: 'network' } },
        { service: 'compute', reachable: true },
      ],
    });
  });
});
