import { createCallContext, startFaultServer, testComputeProvider } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceState } from './aws-ec2';
import { createAws } from './index';
import { createMotoInstances, MOTO_CREDENTIALS, startMotoServer, type MotoServer } from './testing/index';

let moto: MotoServer;

beforeAll(async () => {
  moto = await startMotoServer();
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

const createEc2 = () => createAws({ baseURL: moto.url, credentials: MOTO_CREDENTIALS, capabilities: ['compute'] });

testComputeProvider({
  create: createEc2,
  instances: () => createMotoInstances(moto.url),
  missingInstanceId: 'i-0123456789abcdef0',
  additionalTests: ({ createClient }) => {
    it('maps the Name tag to name and every tag to labels, with type, zone and launch time', async () => {
      const { running } = await createMotoInstances(moto.url);
      const instance = await createClient().call('getInstance', { instanceId: running });
      expect(instance).toMatchObject({
        id: running,
        name: 'switchyard-running',
        state: 'running',
        providerState: 'running',
        machineType: 't3.micro',
        labels: { Name: 'switchyard-running' },
      });
      expect(instance.zone).toMatch(/^us-east-1[a-z]$/);
      expect(Date.now() - Date.parse(instance.launchedAt ?? '')).toBeLessThan(600_000);
    });

    it('pages with limits below EC2’s minimum of 5 without losing or repeating instances', async () => {
      const compute = createClient();
      for (let count = 0; count < 3; count += 1) await createMotoInstances(moto.url);
      const all = (await compute.call('listInstances', { limit: 100 })).instances.map((instance) => instance.id);
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await compute.call('listInstances', { limit: 2, ...(cursor === undefined ? {} : { cursor }) });
        expect(page.instances.length).toBeLessThanOrEqual(2);
        paged.push(...page.instances.map((instance) => instance.id));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      expect(all.length).toBeGreaterThanOrEqual(6);
      expect([...paged].sort()).toEqual([...all].sort());
    });
  },
});

describe('compute input EC2 would refuse', () => {
  it.each([
    ['an id that is not an EC2 instance id', 'getInstance', { instanceId: 'web-1' }],
    ['an id with the wrong number of digits', 'stopInstance', { instanceId: 'i-123' }],
    ['a cursor listInstances did not issue', 'listInstances', { cursor: 'bm90IGEgY3Vyc29y' }],
    ['a limit over 100', 'listInstances', { limit: 101 }],
  ])('refuses %s before sending anything', async (_title, operation, input) => {
    const server = await startFaultServer();
    try {
      const provider = createAws({ baseURL: server.url, credentials: MOTO_CREDENTIALS });
      const outcome = await provider
        .execute({ capability: 'compute', operation, input }, createCallContext())
        .catch((error: unknown) => error);
      expect(outcome).toMatchObject({ kind: 'validation', operation: `compute.${operation}` });
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('instanceState', () => {
  it.each([
    ['pending', 'pending'],
    ['running', 'running'],
    ['stopping', 'stopping'],
    ['shutting-down', 'stopping'],
    ['stopped', 'stopped'],
    ['terminated', 'terminated'],
    ['rebooting', 'unknown'],
    [undefined, 'unknown'],
  ])('maps EC2 %s to %s', (name, state) => {
    expect(instanceState(name)).toBe(state);
  });
});
