/**
 * The mirrored half of `npm run bench:storage` (issue 15): 4 KiB puts
 * through one hub over the three storage peers, with
 * `routing.policies.storage = { write: 'mirror', quorum: 2 }`, against a put
 * on each single provider through the same hub (`only: [provider]`, with the
 * call's policy set to `write: 'primary'`, as a write to one provider would
 * be routed). Sequential puts, in alternating time slices, as the pairs
 * bench runs them.
 *
 * A mirrored put returns once two of the three providers hold it; the third
 * write keeps running in the background. So that this does not flatter the
 * mirror, every mirrored slice ends with a drain: after its last put it waits
 * until every put of the slice has settled on all three (one 'placement'
 * event per mirrored put), and that wait counts in the slice's duration. A
 * put counts only when its event names all three providers as holders; one
 * that missed a provider is reported as missed, not counted.
 *
 * Target (issue 15): mirrored puts/s ÷ the slowest single provider's puts/s
 * in the same run ≥ 0.9 (`mirroredOverSlowest`). Reported, never enforced.
 */
import { createHub, type ExecuteOptions, type Hub, type HubEvents, type ProviderV1 } from '@switchyard/core';

/** A running storage peer, with the provider that talks to it. */
export interface MirrorPeer {
  readonly provider: string;
  readonly create: () => ProviderV1;
}

export interface MirrorBenchSettings {
  readonly peers: readonly MirrorPeer[];
  readonly sliceMs: number;
  readonly slices: number;
  readonly bucket: string;
  readonly body: string;
  readonly contentType: string;
}

export interface MirrorRow {
  /** `mirrored put (2 of 3)` or `put on <provider>`. */
  readonly variant: string;
  readonly providers: readonly string[];
  /** Puts counted ÷ the slices' total duration (for the mirror, including each slice's drain). */
  readonly putsPerSecond: number;
  /** Every slice's puts/s, in slice order. */
  readonly slicePutsPerSecond: readonly number[];
  /** CPU time of this process per put, in µs (the hub, the clients, the moto front and the GCS emulator). */
  readonly cpuMicrosPerPut: number;
  /** Mirror only: mean ms per slice spent waiting for the slice's background writes after its last put returned. */
  readonly drainMsPerSlice?: number;
  /** Mirror only: median ms until the caller had its answer (quorum), and until the last provider finished. */
  readonly medianAcknowledgedMs?: number;
  readonly medianSettledMs?: number;
  /** Mirror only: puts that settled with a provider missing (not counted). */
  readonly missed?: number;
}

export interface MirrorResult {
  readonly quorum: number;
  readonly rows: readonly MirrorRow[];
  /** The single provider with the fewest puts/s in this run. */
  readonly slowestProvider: string;
  /** Mirrored puts/s ÷ the slowest single provider's puts/s. */
  readonly mirroredOverSlowest: number;
  /**
   * This process's CPU per mirrored put ÷ the sum of its CPU per put on each
   * single provider: what a mirrored put costs here beyond the three writes it
   * makes (an upper bound: contention on a busy machine raises it too).
   */
  readonly cpuOverSingles: number;
  readonly target: number;
  readonly meetsTarget: boolean;
}

const QUORUM = 2;
const TARGET = 0.9;
const MIRRORED = `mirrored put (${QUORUM} of 3)`;
/** Longest wait for a slice's background writes; a drain that takes longer fails the run rather than hang it. */
const DRAIN_LIMIT_MS = 60_000;

type PlacementEvent = HubEvents['placement'];

interface Variant {
  readonly name: string;
  readonly providers: readonly string[];
  readonly mirrored: boolean;
  readonly put: (key: string) => Promise<void>;
}

interface Slice {
  readonly puts: number;
  readonly ms: number;
  readonly drainMs: number;
  readonly cpuMicros: number;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Counts 'placement' events of mirrored puts and lets a slice wait until a
 * number of them arrived. Slices never overlap (each drains before the next
 * starts), so the events after a slice began are that slice's.
 */
class PlacementCounter {
  settled = 0;
  complete = 0;
  readonly acknowledgedMs: number[] = [];
  readonly settledMs: number[] = [];
  private readonly targets: number;
  private waiter: { count: number; resolve: () => void } | undefined;

  constructor(targets: number) {
    this.targets = targets;
  }

  readonly listener = (event: PlacementEvent): void => {
    if (event.capability !== 'storage' || event.policy !== 'mirror') return;
    this.settled += 1;
    if (event.holders.length === this.targets) this.complete += 1;
    this.acknowledgedMs.push(event.acknowledgedMs);
    this.settledMs.push(event.settledMs);
    if (this.waiter !== undefined && this.settled >= this.waiter.count) {
      this.waiter.resolve();
      this.waiter = undefined;
    }
  };

  /** Resolves once `count` mirrored puts have settled in all; fails after {@link DRAIN_LIMIT_MS}. */
  async until(count: number): Promise<void> {
    if (this.settled >= count) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.waiter = { count, resolve };
        timer = setTimeout(() => {
          this.waiter = undefined;
          reject(new Error(`mirrored puts: ${count - this.settled} of them had not settled on every provider after ${DRAIN_LIMIT_MS} ms`));
        }, DRAIN_LIMIT_MS);
      });
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Runs sequential puts for `durationMs` (a mirrored variant then drains); returns what the slice did. */
async function runSlice(variant: Variant, durationMs: number, prefix: string, counter: PlacementCounter): Promise<Slice> {
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const stopAt = startedAt + durationMs;
  const settledBefore = counter.settled;
  const completeBefore = counter.complete;
  let started = 0;
  while (performance.now() < stopAt) {
    await variant.put(`${prefix}/${started % 64}.txt`);
    started += 1;
  }
  const lastPutAt = performance.now();
  if (variant.mirrored) await counter.until(settledBefore + started);
  const endedAt = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  return {
    puts: variant.mirrored ? counter.complete - completeBefore : started,
    ms: endedAt - startedAt,
    drainMs: endedAt - lastPutAt,
    cpuMicros: cpu.user + cpu.system,
  };
}

function variants(hub: Hub, settings: MirrorBenchSettings): Variant[] {
  const { bucket, body, contentType } = settings;
  /** One put through the hub, checked to have been routed by `policy`. */
  const put = (name: string, policy: string, options?: ExecuteOptions) => async (key: string) => {
    const result = await hub.execute({ capability: 'storage', operation: 'putObject', input: { bucket, key, body, contentType } }, options);
    if (result.placement?.policy !== policy)
      throw new Error(`${name}: routed by the ${result.placement?.policy ?? 'no'} policy, not ${policy}`);
  };
  const providers = settings.peers.map((peer) => peer.provider);
  return [
    { name: MIRRORED, providers, mirrored: true, put: put(MIRRORED, 'mirror') },
    ...providers.map((provider): Variant => {
      const name = `put on ${provider}`;
      return {
        name,
        providers: [provider],
        mirrored: false,
        put: put(name, 'primary', { only: [provider], policy: { write: 'primary' } }),
      };
    }),
  ];
}

/**
 * Measures mirrored puts (quorum 2 of 3) against a put on each single
 * provider, on `settings.peers` (already running; the caller stops them).
 */
export async function measureMirror(settings: MirrorBenchSettings): Promise<MirrorResult> {
  if (settings.peers.length !== 3) throw new Error(`the mirror bench needs 3 peers, got ${settings.peers.length}`);
  const counter = new PlacementCounter(settings.peers.length);
  const hub = createHub({
    providers: settings.peers.map((peer) => peer.create()),
    routing: { policies: { storage: { write: 'mirror', quorum: QUORUM } } },
    events: { placement: counter.listener },
  });
  try {
    for (const peer of settings.peers) {
      await hub.storage.createBucket({ bucket: settings.bucket }, { only: [peer.provider] }).catch((error: unknown) => {
        // A bucket left by the pairs bench, or one the GCS emulator started with.
        if (!(error instanceof Error && 'kind' in error && error.kind === 'conflict')) throw error;
      });
    }
    const all = variants(hub, settings);
    for (const variant of all) await runSlice(variant, settings.sliceMs, `mirror-warmup-${variant.providers.join('-')}`, counter);
    const slices = new Map<string, Slice[]>(all.map((variant) => [variant.name, []]));
    const eventsBefore = counter.settled;
    const missedBefore = counter.settled - counter.complete;
    for (let slice = 0; slice < settings.slices; slice += 1) {
      // Rotate which variant goes first, so none always runs on a warmer (or more tired) machine.
      for (let index = 0; index < all.length; index += 1) {
        const variant = all[(slice + index) % all.length]!;
        slices.get(variant.name)!.push(await runSlice(variant, settings.sliceMs, `mirror-${variant.providers.join('-')}`, counter));
      }
    }
    const rows = all.map((variant): MirrorRow => {
      const done = slices.get(variant.name)!;
      const puts = done.reduce((sum, slice) => sum + slice.puts, 0);
      const ms = done.reduce((sum, slice) => sum + slice.ms, 0);
      const row: MirrorRow = {
        variant: variant.name,
        providers: variant.providers,
        putsPerSecond: (puts * 1000) / ms,
        slicePutsPerSecond: done.map((slice) => (slice.puts * 1000) / slice.ms),
        cpuMicrosPerPut: done.reduce((sum, slice) => sum + slice.cpuMicros, 0) / puts,
      };
      if (!variant.mirrored) return row;
      return {
        ...row,
        drainMsPerSlice: done.reduce((sum, slice) => sum + slice.drainMs, 0) / done.length,
        medianAcknowledgedMs: median(counter.acknowledgedMs.slice(eventsBefore)),
        medianSettledMs: median(counter.settledMs.slice(eventsBefore)),
        missed: counter.settled - counter.complete - missedBefore,
      };
    });
    const [mirrored, ...singles] = rows;
    const slowest = singles.reduce((lowest, row) => (row.putsPerSecond < lowest.putsPerSecond ? row : lowest));
    const mirroredOverSlowest = mirrored!.putsPerSecond / slowest.putsPerSecond;
    const singlesCpu = singles.reduce((sum, row) => sum + row.cpuMicrosPerPut, 0);
    return {
      quorum: QUORUM,
      rows,
      slowestProvider: slowest.providers[0]!,
      mirroredOverSlowest,
      cpuOverSingles: mirrored!.cpuMicrosPerPut / singlesCpu,
      target: TARGET,
      meetsTarget: mirroredOverSlowest >= TARGET,
    };
  } finally {
    await hub.close();
  }
}
