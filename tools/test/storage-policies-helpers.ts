/**
 * Peers, hubs and traffic for tools/test/storage-policies.test.ts (issue 15):
 * one hub per data policy over moto (S3), Azurite (Blob) and the GCS
 * emulator, Azure preferred; a pool of workers runs put+get pairs while
 * Azurite is killed at a third of them and restarted, on the same port and
 * folder, at two thirds. Every pair records when its put ran, where the hub
 * said the object went, and how the read right after it went.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAws } from '@switchyard/aws';
import { MOTO_CREDENTIALS, startMotoServer, type MotoServer } from '@switchyard/aws/testing';
import { createAzure } from '@switchyard/azure';
import { startAzurite, type AzuriteBlob } from '@switchyard/azure/testing';
import { createHub, type DataPolicy, type ExecuteOptions, type Hub, type HubEvents, type PlacementOutcome } from '@switchyard/core';
import { createGcp } from '@switchyard/gcp';
import { startGcsEmulator, type GcsEmulator } from '@switchyard/gcp/testing';

/** Put+get pairs per traffic run. */
export const PAIRS = 3000;
/** Workers in the pool: pairs in flight at once. */
export const CONCURRENCY = 16;
/** Azurite is killed when this many pairs have completed... */
const KILL_AT = PAIRS / 3;
/** ...and restarted when this many have. */
const RESTART_AT = (2 * PAIRS) / 3;
/**
 * A worker claiming a pair from here on waits until the restart has begun,
 * so that on a slow machine, where the checks made while Azurite is down
 * outlast the traffic, the restart still falls inside it. On an ordinary run
 * nobody waits (`Timeline.heldWorkers` says).
 */
const HOLD_AT = (11 * PAIRS) / 12;
/** Longest wait for a breaker to close again, in ms. */
const BREAKER_WAIT_MS = 60_000;

/** The three local peers; Azurite persists to `location`, so a restart on `port` keeps its blobs. */
export interface Peers {
  readonly moto: MotoServer;
  readonly gcs: GcsEmulator;
  /** The running Azurite; replaced by each restart, undefined while it is down. */
  azurite: AzuriteBlob | undefined;
  readonly location: string;
  readonly port: number;
  readonly connectionString: string;
}

export async function startPeers(): Promise<Peers> {
  const location = await mkdtemp(join(tmpdir(), 'switchyard-policies-azurite-'));
  const [moto, gcs, azurite] = await Promise.all([startMotoServer(), startGcsEmulator(), startAzurite({ location })]);
  return { moto, gcs, azurite, location, port: azurite.port, connectionString: azurite.connectionString };
}

/** Stops whatever runs and removes Azurite's folder; never throws. */
export async function stopPeers(peers: Peers | undefined): Promise<void> {
  await Promise.allSettled([peers?.moto.stop(), peers?.gcs.stop(), peers?.azurite?.stop()]);
  if (peers !== undefined) await rm(peers.location, { recursive: true, force: true });
}

/** A hub over the peers with the events the tests read. */
export interface PolicyHub {
  readonly hub: Hub;
  /** Breaker changes with `performance.now()` when they happened. */
  readonly breakers: (HubEvents['breaker'] & { readonly at: number })[];
  readonly failovers: HubEvents['failover'][];
  readonly attempts: HubEvents['attempt'][];
  readonly requests: HubEvents['request'][];
  readonly repairs: HubEvents['repair'][];
  /** `placement` events: one per mirrored write once every provider has answered. */
  readonly placements: HubEvents['placement'][];
}

/**
 * A hub over moto, Azurite and the GCS emulator: Azure first (weight 30), then
 * S3 (20), then GCS (10), by priority alone; breakers cool down after 1 s;
 * attempts may take a minute (moto answers slowly on a loaded machine);
 * repairs run only when a test asks.
 */
export function createPolicyHub(peers: Peers, policies?: Readonly<Record<string, DataPolicy>>): PolicyHub {
  const breakers: PolicyHub['breakers'] = [];
  const failovers: PolicyHub['failovers'] = [];
  const attempts: PolicyHub['attempts'] = [];
  const requests: PolicyHub['requests'] = [];
  const repairs: PolicyHub['repairs'] = [];
  const placements: PolicyHub['placements'] = [];
  const hub = createHub({
    providers: [
      createAws({ baseURL: peers.moto.url, credentials: MOTO_CREDENTIALS, capabilities: ['storage'] }),
      createAzure({ storage: { connectionString: peers.connectionString } }),
      createGcp({ projectId: 'switchyard-test', storage: { apiEndpoint: peers.gcs.url } }),
    ],
    routing: {
      weights: { latency: 0, load: 0 },
      providers: { azure: { weight: 30 }, aws: { weight: 20 }, gcp: { weight: 10 } },
      breaker: { cooldownMs: 1000 },
      // A dead peer refuses connections at once; only a slow, busy machine reaches these. Generous, so load never fails a put.
      attemptTimeoutMs: 60_000,
      requestTimeoutMs: 180_000,
      repair: { automatic: false },
      ...(policies === undefined ? {} : { policies }),
    },
    events: {
      breaker: (event) => breakers.push({ ...event, at: performance.now() }),
      failover: (event) => failovers.push(event),
      attempt: (event) => attempts.push(event),
      request: (event) => requests.push(event),
      repair: (event) => repairs.push(event),
      placement: (event) => placements.push(event),
    },
  });
  return { hub, breakers, failovers, attempts, requests, repairs, placements };
}

/** Creates `bucket` on each of `providers`, one at a time, through the hub. */
export async function createBucketOn(hub: Hub, bucket: string, providers: readonly string[]): Promise<void> {
  for (const provider of providers) await hub.storage.createBucket({ bucket }, { only: [provider] });
}

/** How one read went: `ok` means it succeeded and returned the body that was written. */
export interface ReadOutcome {
  readonly ok: boolean;
  readonly provider?: string | undefined;
  /** The error's kind, or `wrong_body`. */
  readonly kind?: string | undefined;
  readonly message?: string | undefined;
}

/** One put+get pair; times are `performance.now()`. */
export interface Pair {
  readonly index: number;
  readonly key: string;
  readonly body: string;
  startedAt: number;
  /** When the put resolved (for a mirror: when its quorum acknowledged it). */
  endedAt: number;
  put?: { readonly provider: string; readonly placement: PlacementOutcome | undefined };
  putError?: { readonly kind: string; readonly message: string };
  /** The read right after the put, with no `only`. */
  get?: ReadOutcome;
}

export function resourceKey(bucket: string, key: string): string {
  return `${bucket}/${key}`;
}

function describeError(error: unknown): { kind: string; message: string } {
  const { kind, message } = error as { kind?: unknown; message?: unknown };
  return { kind: typeof kind === 'string' ? kind : 'unknown', message: typeof message === 'string' ? message : String(error) };
}

/** Reads `pair`'s object through the hub and compares the body. Never throws. */
export async function readPair(hub: Hub, bucket: string, pair: Pair, options: ExecuteOptions = {}): Promise<ReadOutcome> {
  try {
    const result = await hub.execute({ capability: 'storage', operation: 'getObject', input: { bucket, key: pair.key } }, options);
    const { body } = result.value as { body: string };
    return body === pair.body ? { ok: true, provider: result.provider } : { ok: false, provider: result.provider, kind: 'wrong_body' };
  } catch (error) {
    return { ok: false, ...describeError(error) };
  }
}

/** Reads every pair, `concurrency` at a time; outcomes in pair order. */
export async function readPairs(
  hub: Hub,
  bucket: string,
  pairs: readonly Pair[],
  options: ExecuteOptions = {},
  concurrency = CONCURRENCY,
): Promise<ReadOutcome[]> {
  const outcomes = new Array<ReadOutcome>(pairs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < pairs.length) {
      const index = next;
      next += 1;
      outcomes[index] = await readPair(hub, bucket, pairs[index]!, options);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}

/** `performance.now()` at each step of the outage, and what the traffic had done by then. */
export interface Timeline {
  killBegan: number;
  killEnded: number;
  restartBegan: number;
  restartEnded: number;
  completedAtKill: number;
  completedAtRestart: number;
  /** Workers that waited at {@link HOLD_AT} for the restart to begin (0 unless the checks before it were slow). */
  heldWorkers: number;
  /** Pairs in flight when the restart began. */
  inFlightAtRestart: number;
}

/** A check made while Azurite is down; `pairs` holds every pair begun so far. */
export type OutageCheck = (pairs: readonly Pair[], timeline: Readonly<Timeline>) => Promise<void>;

/** What a test checks while Azurite is down: from the moment it stopped, and just before it is restarted. */
export interface OutageChecks {
  /** Starts as soon as the stop has finished, while the workers go on. */
  readonly afterKill?: OutageCheck;
  /** Starts when two thirds of the pairs have completed; the restart waits for it. */
  readonly beforeRestart?: OutageCheck;
}

async function putAndGet(hub: Hub, bucket: string, pair: Pair): Promise<void> {
  pair.startedAt = performance.now();
  try {
    const result = await hub.execute({
      capability: 'storage',
      operation: 'putObject',
      input: { bucket, key: pair.key, body: pair.body },
    });
    pair.put = { provider: result.provider, placement: result.placement };
  } catch (error) {
    pair.putError = describeError(error);
  }
  pair.endedAt = performance.now();
  if (pair.put !== undefined) pair.get = await readPair(hub, bucket, pair);
}

/**
 * Runs {@link PAIRS} put+get pairs on `bucket`, {@link CONCURRENCY} at a
 * time. When a third have completed Azurite is stopped (SIGTERM) while the
 * workers go on, and `checks.afterKill` runs once it is down; when two
 * thirds have completed (and that check has finished) `checks.beforeRestart`
 * runs, then Azurite starts again on the same port and folder, the workers
 * still going. Resolves once every pair and the restart
 * are done; a failed stop, check or restart rejects it then.
 */
export async function runTraffic(
  hub: Hub,
  bucket: string,
  peers: Peers,
  checks: OutageChecks,
): Promise<{ pairs: Pair[]; timeline: Timeline }> {
  const pairs: Pair[] = [];
  const timeline: Timeline = {
    killBegan: Number.NaN,
    killEnded: Number.NaN,
    restartBegan: Number.NaN,
    restartEnded: Number.NaN,
    completedAtKill: 0,
    completedAtRestart: 0,
    heldWorkers: 0,
    inFlightAtRestart: 0,
  };
  let next = 0;
  let completed = 0;
  let outageError: Error | undefined;
  let kill: Promise<void> = Promise.resolve();
  let afterKill: Promise<void> = Promise.resolve();
  let restart: Promise<void> = Promise.resolve();
  let releaseHold: () => void = () => undefined;
  const restartBegan = new Promise<void>((resolve) => (releaseHold = resolve));
  const remember = (error: unknown): void => {
    outageError ??= error instanceof Error ? error : new Error(String(error));
  };

  const stopAzurite = async (): Promise<void> => {
    timeline.killBegan = performance.now();
    timeline.completedAtKill = completed;
    const running = peers.azurite;
    peers.azurite = undefined;
    await running?.stop();
    timeline.killEnded = performance.now();
  };
  const restartAzurite = async (): Promise<void> => {
    try {
      await kill;
      await afterKill;
      await checks.beforeRestart?.(pairs, timeline);
    } finally {
      timeline.restartBegan = performance.now();
      timeline.completedAtRestart = completed;
      timeline.inFlightAtRestart = next - completed;
      releaseHold();
    }
    peers.azurite = await startAzurite({ location: peers.location, port: peers.port });
    timeline.restartEnded = performance.now();
  };
  const completedOne = (): void => {
    completed += 1;
    if (completed === KILL_AT) {
      kill = stopAzurite().catch(remember);
      afterKill = kill.then(() => checks.afterKill?.(pairs, timeline)).catch(remember);
    }
    if (completed === RESTART_AT) restart = restartAzurite().catch(remember);
  };
  const worker = async (): Promise<void> => {
    while (next < PAIRS) {
      const index = next;
      next += 1;
      if (index >= HOLD_AT && Number.isNaN(timeline.restartBegan)) {
        timeline.heldWorkers += 1;
        await restartBegan;
      }
      const pair: Pair = { index, key: `run/${index}.txt`, body: `object ${index} of ${bucket}`, startedAt: 0, endedAt: 0 };
      pairs[index] = pair;
      await putAndGet(hub, bucket, pair);
      completedOne();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await kill;
  await afterKill;
  await restart;
  if (outageError !== undefined) throw outageError;
  return { pairs, timeline };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until `provider`'s breaker is closed again. Once its cooldown has
 * passed (the breaker reads `half-open`) one cheap call on `bucket` is sent
 * there as the probe, as the next call of a host's traffic would be.
 * Resolves whether a probe was needed; throws after a minute.
 */
export async function waitForClosedBreaker(hub: Hub, provider: string, bucket: string): Promise<boolean> {
  const deadline = Date.now() + BREAKER_WAIT_MS;
  let probed = false;
  for (;;) {
    const state = hub.metrics()[provider]?.breaker.state;
    if (state === 'closed') return probed;
    if (Date.now() > deadline) throw new Error(`${provider}'s breaker is still ${String(state)} after ${BREAKER_WAIT_MS} ms`);
    if (state === 'half-open') {
      probed = true;
      await hub.storage.listObjects({ bucket, limit: 1 }, { only: [provider] }).catch(() => undefined);
    } else {
      await sleep(100);
    }
  }
}

/** Waits until `count` placement events have arrived (every mirrored write settled everywhere); throws after a minute. */
export async function waitForPlacementEvents(recorded: PolicyHub, count: number): Promise<void> {
  const deadline = Date.now() + BREAKER_WAIT_MS;
  while (recorded.placements.length < count) {
    if (Date.now() > deadline) throw new Error(`${recorded.placements.length} of ${count} mirrored writes settled`);
    await sleep(50);
  }
}

/** Counts of `values` by their string, for one-line summaries. */
export function tally(values: readonly (string | undefined)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value ?? 'none'] = (counts[value ?? 'none'] ?? 0) + 1;
  return counts;
}
