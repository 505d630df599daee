import type { CapabilityContract } from '../capabilities/capability';
import type { DataPolicy, OperationResource } from '../capabilities/data-policy';
import { IntegrationError, toIntegrationError } from '../errors/integration-error';
import type { EventBus } from '../events/event-bus';
import type { HubEvents } from '../events/hub-events';
import { primaryProvider } from '../router/ranking';
import type { OperationEntry, RouteMode, Router } from '../router/router';
import type { ExecuteOptions, ExecuteResult, PlacementOutcome } from '../router/router-options';
import type { Logger } from '../utils/logger';
import { fanOut, isRefusal } from './fan-out';
import { writeMirrored } from './mirror-write';
import type { PlacementRecord, PlacementStore } from './placement-store';
import { effectivePolicy, pinFor, type EffectivePolicy } from './policy';

/** What the data router needs from the hub. */
export interface DataRouterDependencies {
  readonly router: Router;
  readonly placements: PlacementStore;
  readonly events: EventBus<HubEvents>;
  readonly logger: Logger;
  /** `routing.policies`, by capability name. */
  readonly policies: Readonly<Record<string, DataPolicy>> | undefined;
  /** The capability contract the hub holds under a name. */
  readonly contract: (name: string) => CapabilityContract | undefined;
}

interface ParsedRequest {
  readonly capability: string;
  readonly operation: string;
  readonly input: unknown;
}

/** One stateful call: parsed, with its operation, options and the policy in force. */
interface StatefulCall {
  readonly entry: OperationEntry;
  readonly request: ParsedRequest;
  readonly options: ExecuteOptions;
  readonly policy: EffectivePolicy;
  readonly resource: OperationResource;
}

const PARSED: RouteMode = Object.freeze({ parsed: true, notFoundFailsOver: false });
const FIRST_FOUND: RouteMode = Object.freeze({ parsed: true, notFoundFailsOver: true });

/** `options` allowing only `providers` (and, of those, only the ones the caller allows). */
function within(options: ExecuteOptions, providers: readonly string[]): ExecuteOptions {
  const only = options.only === undefined ? providers : providers.filter((id) => options.only!.includes(id));
  return { ...options, only };
}

function outcome(policy: PlacementOutcome['policy'], holders: readonly string[], missed: readonly string[] = []): PlacementOutcome {
  return { policy, holders, missed, pending: [] };
}

/**
 * Routes stateful operations by their capability's data policy
 * (docs/routing.md, "Data that lives somewhere"): where writes go (`primary`,
 * `primary-only`, `mirror`, `pinned`), where reads look (`placement`,
 * `first-found`, `primary-only`), placement records after writes, tombstones
 * after deletes and repair hints for providers that missed either. Stateless
 * operations go straight to the router.
 */
export class DataRouter {
  private readonly dependencies: DataRouterDependencies;
  private readonly writePrefix = globalThis.crypto.randomUUID().slice(0, 8);
  private writeCount = 0;
  private readonly policies = new WeakMap<OperationEntry, EffectivePolicy>();

  constructor(dependencies: DataRouterDependencies) {
    this.dependencies = dependencies;
  }

  /**
   * Routes one call by the policy in force. Not `async`: a stateless call, and
   * a read whose record the placement store knows from memory, reach the
   * router without an extra turn of the event loop.
   */
  execute(request: ParsedRequest, options: ExecuteOptions): Promise<ExecuteResult> {
    try {
      const { router } = this.dependencies;
      const entry = router.resolveOperation(request.capability, request.operation);
      const resource = entry.contract.resource;
      if (resource === undefined) return router.execute(request, options);
      const parsed: ParsedRequest = {
        capability: request.capability,
        operation: request.operation,
        input: router.parseInput(entry, request.input),
      };
      const call: StatefulCall = { entry, request: parsed, options, policy: this.policy(entry, options.policy), resource };
      switch (resource.access) {
        case 'list':
          return call.policy.read === 'primary-only' ? this.primaryOnly(call) : router.execute(parsed, options, PARSED);
        case 'read':
          return this.read(call);
        case 'write':
          return this.write(call);
        case 'delete':
          return this.remove(call);
      }
    } catch (error) {
      return Promise.reject(toIntegrationError(error));
    }
  }

  /** The policy in force for `entry`, with the call's overrides. */
  policy(entry: OperationEntry, callPolicy: DataPolicy | undefined): EffectivePolicy {
    if (callPolicy === undefined) {
      // Contracts and routing.policies do not change once a hub holds them: merge once per operation.
      let cached = this.policies.get(entry);
      if (cached === undefined) {
        cached = this.merge(entry, undefined);
        this.policies.set(entry, cached);
      }
      return cached;
    }
    return this.merge(entry, callPolicy);
  }

  private merge(entry: OperationEntry, callPolicy: DataPolicy | undefined): EffectivePolicy {
    return effectivePolicy(
      this.dependencies.contract(entry.capability),
      entry.contract,
      entry.key,
      this.dependencies.policies?.[entry.capability],
      callPolicy,
    );
  }

  /** A new write id: unique across processes (a random prefix) and cheap (a counter). */
  nextWriteId(): string {
    this.writeCount += 1;
    return `${this.writePrefix}-${this.writeCount}`;
  }

  private async lookup(capability: string, key: string): Promise<PlacementRecord | undefined> {
    const { placements } = this.dependencies;
    const peeked = placements.peek?.(capability, key);
    return peeked === undefined ? placements.get(capability, key) : peeked.record;
  }

  private primaryOnly({ entry, request, options }: StatefulCall): Promise<ExecuteResult> {
    const { router } = this.dependencies;
    const primary = primaryProvider(router.ranking, entry.key, options);
    return router.execute(request, primary === undefined ? options : { ...options, only: [primary] }, PARSED);
  }

  private read(call: StatefulCall): Promise<ExecuteResult> {
    const { entry, request, options, policy, resource } = call;
    const { router, placements } = this.dependencies;
    const key = resource.keys?.(request.input)[0];
    const pin = key === undefined || policy.pins.length === 0 ? undefined : pinFor(policy.pins, key);
    if (pin !== undefined) return router.execute(request, { ...within(options, pin.providers), prefer: pin.providers }, FIRST_FOUND);
    if (policy.read === 'primary-only') return this.primaryOnly(call);
    if (policy.read === 'first-found' || key === undefined) return router.execute(request, options, FIRST_FOUND);
    const peeked = placements.peek?.(entry.capability, key);
    if (peeked !== undefined) return this.readPlaced(call, key, peeked.record);
    return placements.get(entry.capability, key).then((record) => this.readPlaced(call, key, record));
  }

  /** A `placement` read once the record (or its absence) is known. */
  private readPlaced({ entry, request, options }: StatefulCall, key: string, record: PlacementRecord | undefined): Promise<ExecuteResult> {
    const { router } = this.dependencies;
    if (record === undefined || (record.holders.length === 0 && !record.deleted)) return router.execute(request, options, FIRST_FOUND);
    if (record.deleted) {
      return Promise.reject(
        new IntegrationError({ kind: 'not_found', message: `${entry.key}: "${key}" was deleted`, operation: entry.key }),
      );
    }
    const capable = this.allProviders(entry, {});
    // A holder no longer registered cannot answer; with none left, look everywhere.
    const holders = record.holders.map((holder) => holder.provider).filter((id) => capable.includes(id));
    const allowed = within(options, holders);
    if (holders.length === 0 || allowed.only!.length === 0) return router.execute(request, options, FIRST_FOUND);
    return router.execute(request, allowed, FIRST_FOUND).then(
      (result) => ({ ...result, placement: outcome('placement', [result.provider]) }),
      (caught: unknown) => {
        const error = toIntegrationError(caught);
        // Every holder said not_found: the record is stale (changed outside the hub). Look everywhere else before saying so.
        if (error.kind !== 'not_found' || capable.every((id) => holders.includes(id))) throw error;
        return router.execute(request, { ...options, exclude: [...(options.exclude ?? []), ...holders] }, FIRST_FOUND);
      },
    );
  }

  private async write(call: StatefulCall): Promise<ExecuteResult> {
    const { entry, request, options, policy, resource } = call;
    const { router } = this.dependencies;
    const keys = resource.keys?.(request.input);
    const key = keys?.length === 1 ? keys[0] : undefined;
    const pin = key === undefined ? undefined : pinFor(policy.pins, key);
    if (policy.write === 'pinned' && pin === undefined) {
      throw new IntegrationError({
        kind: 'validation',
        message: `${entry.key}: "${key ?? ''}" matches no pin of the pinned policy (${policy.pins.map((each) => each.prefix).join(', ')})`,
        operation: entry.key,
      });
    }
    if (policy.write === 'mirror' && key !== undefined) return this.mirror(call, key, pin?.providers);
    if (policy.write === 'primary-only' && pin === undefined) {
      const result = await this.primaryOnly(call);
      if (key !== undefined) await this.record(entry, key, result, 'primary-only');
      return result;
    }
    let routeOptions = pin === undefined ? options : { ...within(options, pin.providers), prefer: pin.providers };
    const source = resource.source?.(request.input);
    if (source !== undefined) {
      // A copy runs where its source is.
      const capable = this.allProviders(entry, {});
      const sourceHolders = ((await this.lookup(entry.capability, source))?.holders ?? [])
        .map((holder) => holder.provider)
        .filter((id) => capable.includes(id));
      if (sourceHolders.length > 0) routeOptions = within(routeOptions, sourceHolders);
    }
    const result = await router.execute(request, routeOptions, PARSED);
    if (key === undefined) return result;
    const placement = await this.record(entry, key, result, pin === undefined ? 'primary' : 'pinned');
    return { ...result, placement };
  }

  /**
   * Records that `result.provider` holds the current version of `key`. Other
   * providers the previous record named hold a stale version now: each gets a
   * hint, so a repair deletes it there once it is reachable.
   */
  private async record(
    entry: OperationEntry,
    key: string,
    result: ExecuteResult,
    policy: PlacementOutcome['policy'],
  ): Promise<PlacementOutcome> {
    const { placements } = this.dependencies;
    const previous = await this.lookup(entry.capability, key);
    const version = this.dependencies.contract(entry.capability)?.replication?.versionOf?.(result.value);
    const writeId = this.nextWriteId();
    const now = Date.now();
    await placements.put({
      capability: entry.capability,
      key,
      holders: [{ provider: result.provider, version }],
      writeId,
      deleted: false,
      updatedAt: now,
    });
    const stale = (previous?.holders ?? []).filter((holder) => holder.provider !== result.provider);
    for (const holder of stale) {
      await placements.addHint({ capability: entry.capability, key, provider: holder.provider, action: 'delete', writeId, createdAt: now });
    }
    return outcome(
      policy,
      [result.provider],
      stale.map((holder) => holder.provider),
    );
  }

  /** Every capable provider's id for `entry`, in registration order, within the caller's `only` and `exclude`. */
  private allProviders(entry: OperationEntry, options: ExecuteOptions): string[] {
    return this.dependencies.router.ranking.registry
      .candidates(entry.key)
      .map((provider) => provider.manifest.id)
      .filter((id) => (options.only === undefined || options.only.includes(id)) && options.exclude?.includes(id) !== true);
  }

  private async mirror(
    { entry, request, options, policy }: StatefulCall,
    key: string,
    pinned: readonly string[] | undefined,
  ): Promise<ExecuteResult> {
    const all = this.allProviders(entry, options);
    const targets = (pinned ?? policy.mirrorTo ?? all).filter((id) => all.includes(id));
    const quorum = policy.quorum ?? Math.floor(targets.length / 2) + 1;
    if (quorum > targets.length) {
      throw new IntegrationError({
        kind: 'validation',
        message: `${entry.key}: a mirror quorum of ${quorum} needs at least that many providers, but only ${targets.length} can take it (${targets.join(', ') || 'none'})`,
        operation: entry.key,
      });
    }
    const { router } = this.dependencies;
    return writeMirrored(this.dependencies, {
      entry,
      key,
      targets,
      quorum,
      writeId: this.nextWriteId(),
      writeTo: (provider) => router.execute(request, { ...options, only: [provider], prefer: undefined }, PARSED),
    });
  }

  /**
   * Deletes from every provider that may hold the resources: the holders of
   * their records, or every capable provider when a record is missing. A
   * provider that cannot be reached gets a hint, and the record becomes a
   * tombstone naming it, so reads answer `not_found` until the repair has
   * deleted it there too. `not_found` from a provider counts as deleted.
   */
  private async remove(call: StatefulCall): Promise<ExecuteResult> {
    const { entry, request, options, policy, resource } = call;
    const keys = resource.keys?.(request.input);
    if (keys === undefined || keys.length === 0 || policy.write === 'primary-only') return this.primaryOnly(call);
    const { router, placements } = this.dependencies;
    const records = await Promise.all(keys.map((key) => this.lookup(entry.capability, key)));
    const all = this.allProviders(entry, options);
    const pinned = keys.map((key) => pinFor(policy.pins, key));
    const targets = records.every((record) => record !== undefined)
      ? all.filter((id) => records.some((record) => record?.holders.some((holder) => holder.provider === id) === true))
      : pinned.every((pin) => pin !== undefined)
        ? all.filter((id) => pinned.some((pin) => pin?.providers.includes(id) === true))
        : all;
    if (targets.length === 0) {
      // Every record is a tombstone with nothing left to delete: already gone.
      return router.execute(request, options, PARSED);
    }
    const done = await fanOut(targets, targets.length, (provider) =>
      router.execute(request, { ...options, only: [provider], prefer: undefined }, PARSED).catch((caught: unknown) => {
        const error = toIntegrationError(caught);
        if (error.kind !== 'not_found') throw error;
        const nothingThere: ExecuteResult = { value: undefined, provider, failedAttempts: [] };
        return nothingThere;
      }),
    );
    const answered = done.succeeded.find((success) => success.result.value !== undefined) ?? done.succeeded[0];
    if (answered === undefined) throw done.failed.at(-1)!.error;
    const unreachable = done.failed.filter((miss) => !isRefusal(miss.error)).map((miss) => miss.provider);
    const writeId = this.nextWriteId();
    const now = Date.now();
    for (const key of keys) {
      if (unreachable.length === 0) {
        await placements.delete(entry.capability, key);
        continue;
      }
      await placements.put({
        capability: entry.capability,
        key,
        holders: unreachable.map((provider) => ({ provider })),
        writeId,
        deleted: true,
        updatedAt: now,
      });
      for (const provider of unreachable) {
        await placements.addHint({ capability: entry.capability, key, provider, action: 'delete', writeId, createdAt: now });
      }
    }
    const result = answered.result;
    if (result.value === undefined) {
      // Every provider said not_found.
      throw new IntegrationError({
        kind: 'not_found',
        message: `${entry.key}: nothing to delete on ${targets.join(', ')}`,
        operation: entry.key,
      });
    }
    return {
      ...result,
      placement: outcome(
        policy.write,
        done.succeeded.map((success) => success.provider),
        unreachable,
      ),
    };
  }
}
