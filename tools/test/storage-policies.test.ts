/**
 * Issue 15's data policies on the real emulators: one hub per policy over
 * moto (S3), Azurite (Blob) and the GCS emulator, Azure preferred. In the two
 * traffic tests a pool of 16 workers runs 3,000 put+get pairs while Azurite is
 * stopped at a third of them and restarted, same port and folder, at two
 * thirds; each pair records when its put ran, where the hub said the object
 * went and how the read right after it went. Then:
 * - `mirror` (quorum 2 of 3): nothing fails and nothing is unreadable, even
 *   while Azure is down, and the repair copies to Azure exactly what it
 *   missed;
 * - `primary` + `placement` (the storage default): nothing the hub reported
 *   written is ever answered `not_found`; what lives on the dead peer fails
 *   with another kind until it is back;
 * - `first-found` finds an object only the third provider holds, and the
 *   events show the extra round trips;
 * - a bucket name Azure refuses moves the write to S3.
 * Each traffic test prints one line of counts.
 */
import type { Hub } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONCURRENCY,
  createBucketOn,
  createPolicyHub,
  PAIRS,
  readPairs,
  resourceKey,
  runTraffic,
  startPeers,
  stopPeers,
  tally,
  waitForClosedBreaker,
  waitForPlacementEvents,
  type Pair,
  type Peers,
  type PolicyHub,
  type ReadOutcome,
  type Timeline,
} from './storage-policies-helpers';

const TRAFFIC_TIMEOUT_MS = 300_000;
const ALL = ['azure', 'aws', 'gcp'] as const;

let peers: Peers | undefined;
const hubs: Hub[] = [];

beforeAll(async () => {
  peers = await startPeers();
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(hubs.map((hub) => hub.close()));
  await stopPeers(peers);
});

function policyHub(policies?: Parameters<typeof createPolicyHub>[1]): PolicyHub {
  const recorded = createPolicyHub(peers!, policies);
  hubs.push(recorded.hub);
  return recorded;
}

/** A pair and how its put and a read of it went, for failure messages. */
function show(pair: Pair, outcome: ReadOutcome | undefined = pair.get): string {
  if (pair.putError !== undefined) return `#${pair.index} put failed, ${pair.putError.kind}: ${pair.putError.message}`;
  return `#${pair.index} on ${pair.put?.provider ?? '-'}, read ${outcome?.ok === true ? 'ok' : `${outcome?.kind}: ${outcome?.message}`}`;
}

function seconds(from: number, to: number): string {
  return ((to - from) / 1000).toFixed(1);
}

/** Prints one line of what a traffic test saw, also when it failed half-way (what it got to is in `facts`). */
function report(policy: string, facts: Record<string, unknown>): void {
  const parts = Object.entries(facts).map(([name, value]) => `${name} ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  console.log(`[storage-policies] ${policy}: ${parts.join('; ')}`);
}

/** The outage's steps, for {@link report}. */
function outageFacts(timeline: Timeline, startedAt: number): Record<string, string> {
  return {
    'kill after pairs': `${timeline.completedAtKill} (stop took ${Math.round(timeline.killEnded - timeline.killBegan)} ms)`,
    'restart after pairs': `${timeline.completedAtRestart} (${timeline.inFlightAtRestart} in flight, ${timeline.heldWorkers} workers held, start took ${Math.round(timeline.restartEnded - timeline.restartBegan)} ms)`,
    'traffic s': seconds(startedAt, performance.now()),
  };
}

describe('storage data policies over moto, Azurite and the GCS emulator, Azure killed and restarted mid-traffic', () => {
  it(
    'mirror, quorum 2 of 3: no failed put or get, everything readable while Azure is down, and the repair copies exactly what Azure missed',
    async () => {
      const startedAt = performance.now();
      const facts: Record<string, unknown> = { pairs: PAIRS };
      try {
        const bucket = 'policy-mirror';
        const recorded = policyHub({ storage: { write: 'mirror', quorum: 2 } });
        const { hub } = recorded;
        await createBucketOn(hub, bucket, ALL);

        let writtenBeforeKill: Pair[] = [];
        let outageReads: ReadOutcome[] = [];
        const { pairs, timeline } = await runTraffic(hub, bucket, peers!, {
          // Azure is down: every object written before the kill must still be readable, with no `only`.
          async afterKill(begun, at) {
            writtenBeforeKill = begun.filter((pair) => pair.put !== undefined && pair.endedAt < at.killBegan);
            outageReads = await readPairs(hub, bucket, writtenBeforeKill);
          },
        });
        const failedPuts = pairs.filter((pair) => pair.putError !== undefined);
        const failedGets = pairs.filter((pair) => pair.put !== undefined && pair.get?.ok !== true);
        Object.assign(facts, outageFacts(timeline, startedAt), {
          'failed puts': failedPuts.length,
          'failed gets': failedGets.length,
          'failed attempts in the traffic': tally(
            recorded.attempts.filter((event) => event.outcome === 'failure').map((event) => `${event.provider} ${event.error?.kind}`),
          ),
          'put errors': tally(failedPuts.map((pair) => pair.putError?.message.replace(/\d+/g, 'N').slice(0, 300))),
          'breaker changes': tally(recorded.breakers.map((event) => `${event.provider} ${event.from}->${event.to} (${event.reason})`)),
          'outage reads ok': `${outageReads.filter((outcome) => outcome.ok).length}/${outageReads.length}`,
          'holders at acknowledgement': tally(pairs.map((pair) => pair.put?.placement?.holders.join('+'))),
        });

        expect(failedPuts.map((pair) => show(pair))).toEqual([]);
        expect(failedGets.map((pair) => show(pair))).toEqual([]);
        expect(writtenBeforeKill.length).toBeGreaterThanOrEqual(300);
        expect(outageReads.flatMap((outcome, index) => (outcome.ok ? [] : [show(writtenBeforeKill[index]!, outcome)]))).toEqual([]);
        expect(recorded.breakers).toContainEqual(expect.objectContaining({ provider: 'azure', to: 'open' }));

        // Every mirrored write has settled on all three (its record and hints are final); Azure takes calls again.
        await waitForPlacementEvents(recorded, PAIRS);
        const probed = await waitForClosedBreaker(hub, 'azure', bucket);
        const azureBack =
          recorded.breakers.find((event) => event.provider === 'azure' && event.to === 'closed' && event.at > timeline.restartBegan)?.at ??
          Number.POSITIVE_INFINITY;
        facts['azure breaker closed'] =
          `${Number.isFinite(azureBack) ? `${Math.round(azureBack - timeline.restartEnded)} ms after the restart` : 'never'}${probed ? ' (by a probe)' : ''}`;

        const keyOf = (pair: Pair): string => resourceKey(bucket, pair.key);
        const hints = await hub.placements.hints('azure', 100_000);
        const hinted = new Set(hints.map((hint) => hint.key));
        // Puts that ran entirely while Azurite was down: none reached Azure, and each left a hint.
        const inside = pairs.filter((pair) => pair.startedAt >= timeline.killEnded && pair.endedAt <= timeline.restartBegan);
        // Only puts whose write to Azure overlapped the outage (from the kill until Azure's breaker closed) may leave one.
        const azureWriteEnded = (pair: Pair): number =>
          pair.put?.placement?.pending.includes('azure') === true ? Number.POSITIVE_INFINITY : pair.endedAt;
        const overlapping = new Set(
          pairs.filter((pair) => pair.startedAt < azureBack && azureWriteEnded(pair) > timeline.killBegan).map(keyOf),
        );
        Object.assign(facts, {
          'puts inside the outage': inside.length,
          'puts overlapping it': overlapping.size,
          'hints (H)': { azure: hinted.size, aws: await hub.placements.countHints('aws'), gcp: await hub.placements.countHints('gcp') },
          'misses by provider and kind': tally(
            recorded.placements.flatMap((event) => event.missed.map((miss) => `${miss.provider} ${miss.kind}`)),
          ),
        });
        expect(hints.filter((hint) => hint.action !== 'copy' || hint.capability !== 'storage')).toEqual([]);
        expect(inside.length).toBeGreaterThan(0);
        expect(inside.filter((pair) => pair.put?.placement?.holders.includes('azure') !== false).map((pair) => show(pair))).toEqual([]);
        expect(inside.filter((pair) => !hinted.has(keyOf(pair))).map(keyOf)).toEqual([]);
        expect([...hinted].filter((key) => !overlapping.has(key))).toEqual([]);
        // Every put that told its caller Azure missed it left a hint.
        const reportedMissed = pairs.filter((pair) => pair.put?.placement?.missed.includes('azure') === true);
        expect(reportedMissed.filter((pair) => !hinted.has(keyOf(pair))).map(keyOf)).toEqual([]);

        const [summary] = await hub.repair('azure');
        facts.repair = summary;
        expect(summary).toMatchObject({ provider: 'azure', copied: hinted.size, remaining: 0 });
        const repairedPairs = pairs.filter((pair) => hinted.has(keyOf(pair)));
        const fromAzure = await readPairs(hub, bucket, repairedPairs, { only: ['azure'] });
        facts['repaired read from azure ok'] =
          `${fromAzure.filter((outcome) => outcome.ok && outcome.provider === 'azure').length}/${repairedPairs.length}`;
        expect(
          fromAzure.flatMap((outcome, index) => (outcome.ok && outcome.provider === 'azure' ? [] : [show(repairedPairs[index]!, outcome)])),
        ).toEqual([]);
        const records = await Promise.all(repairedPairs.map((pair) => hub.placements.get('storage', keyOf(pair))));
        expect(records.filter((record) => record?.holders.some((holder) => holder.provider === 'azure') !== true)).toEqual([]);
        const [second] = await hub.repair('azure');
        facts['second repair copied'] = second?.copied;
        expect(second).toMatchObject({ provider: 'azure', copied: 0, remaining: 0 });
      } finally {
        facts['test s'] = seconds(startedAt, performance.now());
        report('mirror', facts);
      }
    },
    TRAFFIC_TIMEOUT_MS,
  );

  it(
    'primary + placement: no failed put, nothing reported written is ever not_found, and data on the dead peer fails with another kind until it is back',
    async () => {
      const startedAt = performance.now();
      const facts: Record<string, unknown> = { pairs: PAIRS };
      try {
        const bucket = 'policy-primary';
        const recorded = policyHub();
        const { hub } = recorded;
        await createBucketOn(hub, bucket, ALL);

        let writtenInOutage: Pair[] = [];
        let outageReads: ReadOutcome[] = [];
        let onDeadPeer: Pair[] = [];
        let deadPeerReads: ReadOutcome[] = [];
        const { pairs, timeline } = await runTraffic(hub, bucket, peers!, {
          // Just before the restart: everything written since the kill reads back; a sample of what Azure held does not.
          async beforeRestart(begun, at) {
            writtenInOutage = begun.filter((pair) => pair.put !== undefined && pair.startedAt >= at.killEnded);
            onDeadPeer = begun
              .filter((pair) => pair.put !== undefined && pair.endedAt < at.killBegan)
              .filter((_, index) => index % 50 === 0);
            // Reads only: twice as many at once as the workers run, so the restart still comes while they go on.
            [outageReads, deadPeerReads] = await Promise.all([
              readPairs(hub, bucket, writtenInOutage, {}, 2 * CONCURRENCY),
              readPairs(hub, bucket, onDeadPeer),
            ]);
          },
        });
        const failedPuts = pairs.filter((pair) => pair.putError !== undefined);
        const failedRightAfter = pairs.filter((pair) => pair.put !== undefined && pair.get?.ok !== true);
        const beforeKill = pairs.filter((pair) => pair.endedAt < timeline.killBegan);
        const inside = pairs.filter((pair) => pair.startedAt >= timeline.killEnded && pair.endedAt <= timeline.restartBegan);
        Object.assign(facts, outageFacts(timeline, startedAt), {
          'failed puts': failedPuts.length,
          'puts by provider': tally(pairs.map((pair) => pair.put?.provider)),
          'puts inside the outage': inside.length,
          're-read before the restart ok': `${outageReads.filter((outcome) => outcome.ok).length}/${outageReads.length}`,
          'dead-peer sample failed with': tally(deadPeerReads.map((outcome) => (outcome.ok ? 'ok' : outcome.kind))),
          'reads right after the put that failed': tally(failedRightAfter.map((pair) => pair.get?.kind)),
        });

        expect(failedPuts.map((pair) => show(pair))).toEqual([]);
        // While it was up, Azure (the preferred peer) took every write.
        expect(beforeKill.filter((pair) => pair.put?.placement?.holders.join() !== 'azure').map((pair) => show(pair))).toEqual([]);
        // Written during the outage: elsewhere, and readable right after the put and again just before the restart.
        expect(inside.length).toBeGreaterThan(0);
        expect(inside.filter((pair) => pair.put?.provider === 'azure' || pair.get?.ok !== true).map((pair) => show(pair))).toEqual([]);
        expect(writtenInOutage.length).toBeGreaterThan(0);
        expect(outageReads.flatMap((outcome, index) => (outcome.ok ? [] : [show(writtenInOutage[index]!, outcome)]))).toEqual([]);
        // Held by the dead peer only: the hub says it cannot reach it, never that the object is gone.
        expect(onDeadPeer.length).toBeGreaterThan(0);
        expect(deadPeerReads.filter((outcome) => outcome.ok)).toEqual([]);
        expect(deadPeerReads.filter((outcome) => outcome.kind === 'not_found')).toEqual([]);
        expect(deadPeerReads.filter((outcome) => !['network', 'timeout', 'circuit_open'].includes(outcome.kind ?? ''))).toEqual([]);

        // After the restart, once Azure takes calls again, all 3,000 read back, those on Azure included.
        facts['azure breaker closed by a probe'] = await waitForClosedBreaker(hub, 'azure', bucket);
        const attemptsBefore = recorded.attempts.length;
        const finalReads = await readPairs(hub, bucket, pairs);
        const firstFinalReads = [...finalReads];
        // A burst of connection resets from Azurite can open its breaker for a second (seen once in 22 runs), and a read of
        // an object only Azure holds then fails with circuit_open. That is an outage, not lost data: such a read is tried
        // again once Azure takes calls, at most twice. A not_found is never retried and fails the test below.
        const transient = (outcome: ReadOutcome): boolean => !outcome.ok && outcome.kind !== 'not_found' && outcome.kind !== 'wrong_body';
        for (let round = 1; round <= 2 && finalReads.some(transient); round += 1) {
          const again = finalReads.flatMap((outcome, index) => (transient(outcome) ? [index] : []));
          facts[`final re-read, transient failures before round ${round}`] = again.length;
          await waitForClosedBreaker(hub, 'azure', bucket);
          const retried = await readPairs(
            hub,
            bucket,
            again.map((index) => pairs[index]!),
          );
          again.forEach((index, position) => (finalReads[index] = retried[position]!));
        }
        facts['failed attempts in the final re-read'] = tally(
          recorded.attempts
            .slice(attemptsBefore)
            .filter((event) => event.outcome === 'failure')
            .map((event) => `${event.provider} ${event.error?.kind}: ${event.error?.message.slice(0, 80)}`),
        );
        const allReads = [...pairs.map((pair) => pair.get), ...outageReads, ...deadPeerReads, ...firstFinalReads, ...finalReads];
        const notFound = allReads.filter((outcome) => outcome?.kind === 'not_found').length;
        const deadPeerAfter = finalReads.filter((_, index) => onDeadPeer.includes(pairs[index]!));
        Object.assign(facts, {
          'final re-read ok': `${finalReads.filter((outcome) => outcome.ok).length}/${PAIRS}`,
          'dead-peer sample after the restart': tally(
            deadPeerAfter.map((outcome) => (outcome.ok ? `ok from ${outcome.provider}` : outcome.kind)),
          ),
          not_found: `${notFound} of ${allReads.length} reads`,
        });
        expect(finalReads.flatMap((outcome, index) => (outcome.ok ? [] : [show(pairs[index]!, outcome)]))).toEqual([]);
        expect(deadPeerAfter.filter((outcome) => !outcome.ok || outcome.provider !== 'azure')).toEqual([]);
        expect(notFound).toBe(0);
      } finally {
        facts['test s'] = seconds(startedAt, performance.now());
        report('primary', facts);
      }
    },
    TRAFFIC_TIMEOUT_MS,
  );

  it('first-found reads an object only the third provider holds, and the events show the round trips to the other two', async () => {
    const bucket = 'policy-first-found';
    const key = 'only/on-gcs.txt';
    const recorded = policyHub();
    const { hub } = recorded;
    await createBucketOn(hub, bucket, ALL);
    const put = await hub.execute(
      { capability: 'storage', operation: 'putObject', input: { bucket, key, body: 'third in line' } },
      { only: ['gcp'] },
    );
    expect(put.placement?.holders).toEqual(['gcp']);
    // Without its placement record, nothing tells the hub where the object is.
    expect(await hub.placements.delete('storage', resourceKey(bucket, key))).toBe(true);

    const got = await hub.execute(
      { capability: 'storage', operation: 'getObject', input: { bucket, key } },
      { policy: { read: 'first-found' } },
    );
    expect(got.provider).toBe('gcp');
    expect(got.value).toMatchObject({ body: 'third in line' });
    const request = recorded.requests.find((event) => event.operation === 'getObject' && event.outcome === 'success');
    expect(request).toMatchObject({ provider: 'gcp', attempts: 3 });
    const failovers = recorded.failovers.filter((event) => event.requestId === request?.requestId);
    expect(failovers.map(({ from, to, error }) => ({ from, to, kind: error.kind }))).toEqual([
      { from: 'azure', to: 'aws', kind: 'not_found' },
      { from: 'aws', to: 'gcp', kind: 'not_found' },
    ]);
    const attempts = recorded.attempts.filter((event) => event.requestId === request?.requestId);
    expect(attempts.map(({ provider, outcome, error }) => ({ provider, outcome, kind: error?.kind }))).toEqual([
      { provider: 'azure', outcome: 'failure', kind: 'not_found' },
      { provider: 'aws', outcome: 'failure', kind: 'not_found' },
      { provider: 'gcp', outcome: 'success', kind: undefined },
    ]);
  }, 60_000);

  it('moves a put to a bucket name only Azure refuses (double--hyphen) to S3, and explain says why Azure is skipped', async () => {
    const bucket = 'double--hyphen';
    const recorded = policyHub();
    const { hub } = recorded;
    await createBucketOn(hub, bucket, ['aws', 'gcp']);
    const input = { bucket, key: 'refused/by-azure.txt', body: 'taken elsewhere' };

    const put = await hub.execute({ capability: 'storage', operation: 'putObject', input });
    expect(put.provider).toBe('aws');
    expect(put.placement).toMatchObject({ policy: 'primary', holders: ['aws'] });
    // Azure was skipped without a call: its refusal is the failover's reason.
    expect(recorded.failovers.map(({ from, to, error }) => ({ from, to, kind: error.kind }))).toEqual([
      { from: 'azure', to: 'aws', kind: 'validation' },
    ]);
    expect(recorded.attempts.filter((event) => event.provider === 'azure')).toEqual([]);
    expect(await hub.storage.getObject({ bucket, key: input.key })).toMatchObject({ body: 'taken elsewhere' });

    const explained = hub.explain({ capability: 'storage', operation: 'putObject', input });
    expect(explained.candidates[0]).toMatchObject({ provider: 'aws', eligible: true });
    const azure = explained.candidates.find((candidate) => candidate.provider === 'azure');
    expect(azure).toMatchObject({ eligible: false });
    expect(azure?.reason).toMatch(/^refuses this input:/);
  }, 60_000);
});
