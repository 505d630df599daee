import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderV1 } from '@switchyard/core';
import { createCallContext } from '@switchyard/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAzure } from './index';
import { startAzurite, type AzuriteBlob } from './testing/index';

let location: string;
let azurite: AzuriteBlob | undefined;

beforeAll(async () => {
  location = await mkdtemp(join(tmpdir(), 'switchyard-azurite-'));
});

afterAll(async () => {
  try {
    await azurite?.stop();
  } finally {
    await rm(location, { recursive: true, force: true });
  }
});

function storage(provider: ProviderV1, operation: string, input: unknown) {
  return provider.execute({ capability: 'storage', operation, input }, createCallContext());
}

it('serves the same blobs after a stop and a start on the same port and location', async () => {
  azurite = await startAzurite({ location });
  const { port, connectionString } = azurite;
  const before = createAzure({ storage: { connectionString } });
  await storage(before, 'createBucket', { bucket: 'kept-across-restarts' });
  await storage(before, 'putObject', { bucket: 'kept-across-restarts', key: 'notes/a.txt', body: 'still here', encoding: 'utf8' });
  await azurite.stop();

  azurite = await startAzurite({ location, port });
  expect(azurite.connectionString, 'the same endpoint').toBe(connectionString);
  const read = { bucket: 'kept-across-restarts', key: 'notes/a.txt', encoding: 'utf8' };
  const after = createAzure({ storage: { connectionString } });
  expect(await storage(after, 'getObject', read)).toMatchObject({ body: 'still here', size: 10 });
  expect(await storage(before, 'getObject', read), 'the provider object from before the restart').toMatchObject({ body: 'still here' });
  expect(await storage(before, 'listObjects', { bucket: 'kept-across-restarts', limit: 10 })).toMatchObject({
    objects: [{ key: 'notes/a.txt', size: 10 }],
  });
}, 60_000);
