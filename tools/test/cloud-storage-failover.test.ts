/**
 * Issue 5's failover scenario: one hub over the three cloud storage providers,
 * each on its local peer (moto_server for S3, Azurite for Blob, the
 * firebase-tools emulator for GCS). The preferred peer is killed mid-run;
 * every put and get must still succeed, and the events must show the decision.
 * Calls run concurrently, a bounded number at a time, as a host's traffic
 * does: while one call waits to retry the dead peer, the others' failures
 * open its breaker, and the failover events must still name the network
 * error that made the router leave it.
 */
import { createHub, type Hub, type HubEvents } from '@switchyard/core';
import { createAws } from '@switchyard/aws';
import { MOTO_CREDENTIALS, startMotoServer, type MotoServer } from '@switchyard/aws/testing';
import { createAzure } from '@switchyard/azure';
import { startAzurite, type AzuriteBlob } from '@switchyard/azure/testing';
import { createGcp } from '@switchyard/gcp';
import { startGcsEmulator, type GcsEmulator } from '@switchyard/gcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BUCKET = 'switchyard-failover';
const PAIRS = 150;
const KILL_AFTER = 50;
/** Put-and-get pairs in flight at once: more than the breaker's 5 consecutive failures, few enough for the loopback peers. */
const CONCURRENCY = 10;

let moto: MotoServer;
let azurite: AzuriteBlob;
let gcs: GcsEmulator;
let hub: Hub;
const failovers: HubEvents['failover'][] = [];
const requests: HubEvents['request'][] = [];
const breakers: HubEvents['breaker'][] = [];

beforeAll(async () => {
  [moto, azurite, gcs] = await Promise.all([startMotoServer(), startAzurite(), startGcsEmulator({ buckets: [BUCKET] })]);
  hub = createHub({
    providers: [
      createAws({ baseURL: moto.url, credentials: MOTO_CREDENTIALS, capabilities: ['storage'] }),
      createAzure({ storage: { connectionString: azurite.connectionString } }),
      createGcp({ projectId: 'switchyard-test', storage: { apiEndpoint: gcs.url } }),
    ],
    // S3 first while it is up, then Azure, then GCS: priority decides, not latency or the load of the concurrent calls.
    routing: {
      weights: { latency: 0, load: 0 },
      providers: { aws: { weight: 30 }, azure: { weight: 20 }, gcp: { weight: 10 } },
    },
    events: {
      failover: (event) => failovers.push(event),
      breaker: (event) => breakers.push(event),
      request: (event) => requests.push(event),
    },
  });
  await hub.storage.createBucket({ bucket: BUCKET }, { only: ['aws'] });
  await hub.storage.createBucket({ bucket: BUCKET }, { only: ['azure'] });
}, 120_000);

afterAll(async () => {
  await hub?.close();
  await Promise.all([moto?.stop(), azurite?.stop(), gcs?.stop()]);
});

/** Stores object `pair` on the best provider and reads it back from the one that stored it; resolves with that provider. */
async function putAndGet(pair: number): Promise<string> {
  const key = `run/${pair}.txt`;
  const body = `object ${pair}`;
  // A failed call fails the test here.
  const put = await hub.execute({ capability: 'storage', operation: 'putObject', input: { bucket: BUCKET, key, body } });
  const got = await hub.storage.getObject({ bucket: BUCKET, key }, { only: [put.provider] });
  expect(got.body).toBe(body);
  return put.provider;
}

/** Runs pairs `first` .. `first + count - 1`, {@link CONCURRENCY} at a time; resolves with each put's provider, in pair order. */
async function runPairs(first: number, count: number): Promise<string[]> {
  const servedBy = new Array<string>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next;
      next += 1;
      servedBy[index] = await putAndGet(first + index);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return servedBy;
}

describe('storage failover across AWS, Azure and GCP', () => {
  it('keeps every concurrent put and get succeeding when the preferred peer dies mid-run, and says so in events', async () => {
    // The kill falls between two rounds, so no object is stored on S3 and then looked for there after it died.
    const beforeKill = await runPairs(0, KILL_AFTER);
    await moto.stop();
    const afterKill = await runPairs(KILL_AFTER, PAIRS - KILL_AFTER);

    expect(beforeKill.every((provider) => provider === 'aws')).toBe(true);
    // After the kill the others serve.
    expect(afterKill).toHaveLength(PAIRS - KILL_AFTER);
    expect(afterKill.filter((provider) => provider !== 'azure' && provider !== 'gcp')).toEqual([]);
    // The decision is visible: the router left aws after a network error, and aws's breaker opened.
    expect(failovers.length).toBeGreaterThan(0);
    expect(failovers[0]).toMatchObject({ from: 'aws', capability: 'storage' });
    expect(['azure', 'gcp']).toContain(failovers[0]?.to);
    // Every failover, including those whose retry found the circuit already opened by the other calls, names the network error.
    expect(failovers.filter((event) => event.from !== 'aws' || event.error.kind !== 'network')).toEqual([]);
    expect(requests.filter((event) => event.outcome === 'failure')).toEqual([]);
    expect(breakers).toContainEqual(expect.objectContaining({ provider: 'aws', to: 'open' }));
    // Once open, aws is skipped without being called.
    const explained = hub.explain({ capability: 'storage', operation: 'putObject' });
    expect(explained.candidates.find((candidate) => candidate.provider === 'aws')).toMatchObject({ eligible: false });
  }, 120_000);

  it('serves from GCS when it is the only provider left', async () => {
    const put = await hub.storage.putObject({ bucket: BUCKET, key: 'gcs-only.txt', body: 'last one standing' }, { only: ['gcp'] });
    expect(put.key).toBe('gcs-only.txt');
    const got = await hub.storage.getObject({ bucket: BUCKET, key: 'gcs-only.txt' }, { only: ['gcp'] });
    expect(got.body).toBe('last one standing');
  }, 30_000);
});
