import type { CapabilityContract } from '../capabilities/capability';
import { toIntegrationError, type IntegrationError } from '../errors/integration-error';
import type { EventBus } from '../events/event-bus';
import type { HubEvents } from '../events/hub-events';
import type { Router } from '../router/router';
import type { RepairSettings } from '../router/router-options';
import type { Logger } from '../utils/logger';
import type { PlacementHint, PlacementStore } from './placement-store';

/** What one repair run of one provider did. */
export interface RepairSummary {
  readonly provider: string;
  /** Resources copied to the provider (it missed a write). */
  readonly copied: number;
  /** Resources deleted from it (it missed a delete, or held a version a later write replaced elsewhere). */
  readonly deleted: number;
  /** Hints found already settled: a later write or delete superseded them, or the provider already held the resource. */
  readonly skipped: number;
  /** Hints that could not be repaired this time; they stay for the next run. */
  readonly failed: number;
  /** Hints still waiting for the provider after the run. */
  readonly remaining: number;
}

/** What the repairer needs from the hub. */
export interface RepairDependencies {
  readonly router: Router;
  readonly placements: PlacementStore;
  readonly events: EventBus<HubEvents>;
  readonly logger: Logger;
  readonly contract: (name: string) => CapabilityContract | undefined;
  readonly settings: RepairSettings;
}

type HintOutcome = 'copied' | 'deleted' | 'skipped' | { readonly failed: IntegrationError };

const DEFAULT_BATCH_SIZE = 100;
const DEFAULT_CONCURRENCY = 4;

/** Kinds that say the provider is not reachable right now: the run stops instead of failing every other hint too. */
const UNREACHABLE = new Set(['network', 'timeout', 'circuit_open', 'provider', 'rate_limit']);

/**
 * Repairs providers that missed writes or deletes, from the hints the data
 * router left: copies each resource from a provider that holds it, or
 * deletes it, through the router, so breakers, limits and events apply. Each
 * hint is checked against the current placement record first, so a repair is
 * idempotent and never undoes a later write. One run per provider at a time.
 */
export class Repairer {
  private readonly dependencies: RepairDependencies;
  private readonly running = new Map<string, Promise<RepairSummary>>();

  constructor(dependencies: RepairDependencies) {
    this.dependencies = dependencies;
  }

  /** Repairs `provider` now, or joins the run already going; resolves with that run's summary. */
  repair(provider: string): Promise<RepairSummary> {
    const current = this.running.get(provider);
    if (current !== undefined) return current;
    const run = this.run(provider).finally(() => this.running.delete(provider));
    this.running.set(provider, run);
    return run;
  }

  /** Starts a repair of `provider` in the background when hints wait for it (automatic repair). */
  schedule(provider: string): void {
    if (this.running.has(provider)) return;
    this.dependencies.placements
      .countHints(provider)
      .then((waiting) => (waiting > 0 ? this.repair(provider) : undefined))
      .catch((error: unknown) =>
        this.dependencies.logger.error({ provider, error: toIntegrationError(error).message }, 'automatic repair failed'),
      );
  }

  /** Waits for every run in progress. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  private async run(provider: string): Promise<RepairSummary> {
    const { placements, events, settings } = this.dependencies;
    const batchSize = settings.batchSize ?? DEFAULT_BATCH_SIZE;
    const concurrency = settings.concurrency ?? DEFAULT_CONCURRENCY;
    const totals = { copied: 0, deleted: 0, skipped: 0, failed: 0 };
    const report = async (phase: 'started' | 'progress' | 'finished', error?: IntegrationError): Promise<number> => {
      const remaining = await placements.countHints(provider);
      if (events.hasListeners('repair')) {
        events.emit('repair', { provider, phase, ...totals, remaining, error: error && { kind: error.kind, message: error.message } });
      }
      return remaining;
    };
    await report('started');
    let stoppedBy: IntegrationError | undefined;
    const failedHints = new Set<string>();
    for (;;) {
      // Hints that failed in this run stay in the store; skip past them instead of reading them again.
      const batch = (await placements.hints(provider, batchSize + failedHints.size)).filter((hint) => !failedHints.has(hintId(hint)));
      if (batch.length === 0) break;
      // The first hint goes alone: if the provider is still unreachable (or its circuit lets one probe through), the
      // run stops after one call instead of sending the whole batch into the failure.
      const work = batch.slice(0, batchSize);
      const first = await this.repairHint(work[0]!);
      const outcomes =
        typeof first !== 'string' && UNREACHABLE.has(first.failed.kind)
          ? [first]
          : [first, ...(await mapLimited(work.slice(1), concurrency, (hint) => this.repairHint(hint)))];
      outcomes.forEach((outcome, index) => {
        if (typeof outcome === 'string') {
          totals[outcome] += 1;
          return;
        }
        totals.failed += 1;
        failedHints.add(hintId(batch[index]!));
        if (UNREACHABLE.has(outcome.failed.kind)) stoppedBy = outcome.failed;
      });
      if (stoppedBy !== undefined) break;
      await report('progress');
    }
    const remaining = await report('finished', stoppedBy);
    return { provider, ...totals, remaining };
  }

  private async repairHint(hint: PlacementHint): Promise<HintOutcome> {
    const { placements, router } = this.dependencies;
    const replication = this.dependencies.contract(hint.capability)?.replication;
    try {
      if (replication === undefined) throw new Error(`the ${hint.capability} contract defines no replication`);
      const record = await placements.get(hint.capability, hint.key);
      const holds = record?.deleted === false && record.holders.some((holder) => holder.provider === hint.provider);
      if (hint.action === 'copy') {
        if (record === undefined || record.deleted || record.writeId !== hint.writeId || holds) {
          await placements.removeHint(hint);
          return 'skipped';
        }
        const sources = record.holders.map((holder) => holder.provider);
        const read = replication.read(hint.key);
        const { value } = await router.execute({ capability: hint.capability, ...read }, { only: sources });
        const write = replication.write(hint.key, value);
        const written = await router.execute({ capability: hint.capability, ...write }, { only: [hint.provider] });
        const version = replication.versionOf?.(written.value);
        await placements.put(
          { ...record, holders: [...record.holders, { provider: hint.provider, version }], updatedAt: Date.now() },
          record.writeId,
        );
        await placements.removeHint(hint);
        return 'copied';
      }
      if (holds) {
        // A later write put the current version there: nothing stale to delete.
        await placements.removeHint(hint);
        return 'skipped';
      }
      const remove = replication.delete(hint.key);
      await router.execute({ capability: hint.capability, ...remove }, { only: [hint.provider] }).catch((caught: unknown) => {
        if (toIntegrationError(caught).kind !== 'not_found') throw caught;
      });
      if (record?.deleted === true) {
        const left = record.holders.filter((holder) => holder.provider !== hint.provider);
        if (left.length === 0) await placements.delete(hint.capability, hint.key, record.writeId);
        else await placements.put({ ...record, holders: left, updatedAt: Date.now() }, record.writeId);
      }
      await placements.removeHint(hint);
      return 'deleted';
    } catch (caught) {
      const error = toIntegrationError(caught);
      this.dependencies.logger.warn(
        { provider: hint.provider, capability: hint.capability, action: hint.action, kind: error.kind, error: error.message },
        'repair of one resource failed',
      );
      return { failed: error };
    }
  }
}

function hintId(hint: PlacementHint): string {
  return `${hint.capability}\u0000${hint.key}`;
}

/** `work` over `items`, at most `limit` at a time, results in item order. */
async function mapLimited<Item, Result>(items: readonly Item[], limit: number, work: (item: Item) => Promise<Result>): Promise<Result[]> {
  const results = new Array<Result>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
