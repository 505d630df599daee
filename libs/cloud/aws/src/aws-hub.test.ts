import { createHub, type Hub } from '@switchyard/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAws } from './index';
import { createMotoInstances, MOTO_CREDENTIALS, prepareMotoLambda, startMotoServer, type MotoServer } from './testing/index';

let moto: MotoServer;
let hub: Hub;

beforeAll(async () => {
  moto = await startMotoServer();
  const roleArn = await prepareMotoLambda(moto.url);
  const aws = createAws({ baseURL: moto.url, credentials: MOTO_CREDENTIALS, lambda: { roleArn } });
  // The first health check loads three SDK clients; allow for a cold, busy machine.
  hub = createHub({ providers: [aws], routing: { healthCheckTimeoutMs: 30_000 } });
}, 60_000);

afterAll(async () => {
  await hub?.close();
  await moto?.stop();
});

it('registers with a hub as it is and serves storage, functions and compute through the facades', async () => {
  await hub.storage.createBucket({ bucket: 'hub-bucket' });
  await hub.storage.putObject({ bucket: 'hub-bucket', key: 'hello.txt', body: 'Hello', contentType: 'text/plain' });
  expect(await hub.storage.getObject({ bucket: 'hub-bucket', key: 'hello.txt' })).toMatchObject({
    body: 'Hello',
    contentType: 'text/plain',
  });

  const zipBase64 = 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==';
  await hub.functions.deployFunction({ name: 'hub-echo', zipBase64, runtime: 'nodejs22.x' });
  expect(await hub.functions.invokeFunction({ name: 'hub-echo', payload: { ping: 1 } })).toEqual({ statusCode: 200, result: { ping: 1 } });

  const { running } = await createMotoInstances(moto.url);
  const { instances } = await hub.compute.listInstances({ state: 'running' });
  expect(instances.map((instance) => instance.id)).toContain(running);
});

it('reports S3, Lambda and EC2 in hub.health() as the provider’s infrastructure status', async () => {
  const [health] = await hub.health();
  expect(health).toMatchObject({ provider: 'aws', healthy: true, checked: true });
  expect(health?.services?.map((service) => [service.service, service.reachable])).toEqual([
    ['s3', true],
    ['lambda', true],
    ['ec2', true],
  ]);
});
