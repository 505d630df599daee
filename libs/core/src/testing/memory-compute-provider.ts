import { randomBytes } from 'node:crypto';
import {
  type ComputeOperationInput,
  type ComputeOperationName,
  type ComputeOperationOutput,
  type Instance,
  type InstanceState,
  type ProviderV1,
} from '../index';
import { computeV1 } from '../capabilities/index';
import { createMemoryProvider, paginate, type MemoryFailure } from './memory-provider';

/** One virtual machine a {@link createMemoryComputeProvider} starts with, or that `seed` adds. */
export interface MemoryInstance {
  /** Default: a fresh EC2-style id, "i-" and 17 hex digits. */
  readonly id?: string;
  readonly state: 'running' | 'stopped';
  /** Default: none. */
  readonly name?: string;
  /** Default: `{}`. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Options for {@link createMemoryComputeProvider}. */
export interface MemoryComputeProviderOptions {
  /** The manifest id. Default: `'memory-compute'`. */
  readonly id?: string;
  /** Machines that exist from the start. Default: none. */
  readonly instances?: readonly MemoryInstance[];
}

/** An in-memory compute provider, plus a way for tests to add machines. */
export interface MemoryComputeProvider extends ProviderV1 {
  /** Adds a machine in `state` (with `options`' name and labels, if any) and returns its id. */
  seed(state: MemoryInstance['state'], options?: Omit<MemoryInstance, 'state'>): string;
}

type Handlers = {
  readonly [Name in ComputeOperationName]: (input: ComputeOperationInput<Name>, fail: MemoryFailure) => ComputeOperationOutput<Name>;
};

/** Where each transitional state ends up on the next read. */
const SETTLED_STATE: Partial<Record<InstanceState, InstanceState>> = { pending: 'running', stopping: 'stopped' };

function newInstanceId(): string {
  return `i-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

/**
 * An in-memory `compute` v1 provider that behaves like EC2 with instant
 * machines: `stopInstance` answers `stopping` and the next read shows
 * `stopped`; `startInstance` answers `pending` and the next read shows
 * `running`. Starting a running machine or stopping a stopped one changes
 * nothing (so does repeating a start or stop still under way); starting one
 * that is stopping, or stopping one that is starting, is a `conflict`; unknown ids are `not_found`. Instances are listed in id
 * order; `providerState` is the EC2 word (the same as `state`). State lives
 * in the returned object; add machines with `instances` or `seed`.
 *
 * @example
 * ```ts
 * const compute = createMemoryComputeProvider();
 * const web = compute.seed('running', { name: 'web-1', labels: { team: 'platform' } });
 * ```
 */
export function createMemoryComputeProvider(options: MemoryComputeProviderOptions = {}): MemoryComputeProvider {
  const instances = new Map<string, Instance>();

  function seed(state: MemoryInstance['state'], details: Omit<MemoryInstance, 'state'> = {}): string {
    const id = details.id ?? newInstanceId();
    instances.set(id, {
      id,
      ...(details.name === undefined ? {} : { name: details.name }),
      state,
      providerState: state,
      machineType: 't3.micro',
      zone: 'memory-1a',
      ...(state === 'running' ? { launchedAt: new Date().toISOString() } : {}),
      labels: { ...details.labels },
    });
    return id;
  }
  for (const instance of options.instances ?? []) seed(instance.state, instance);

  function setState(instance: Instance, state: InstanceState): Instance {
    const updated = {
      ...instance,
      state,
      providerState: state,
      ...(state === 'pending' ? { launchedAt: new Date().toISOString() } : {}),
    };
    instances.set(instance.id, updated);
    return updated;
  }

  /** Reads a machine, finishing any transition a previous start or stop began. */
  function read(id: string, fail: MemoryFailure): Instance {
    const instance = instances.get(id) ?? fail('not_found', `Instance "${id}" does not exist`);
    const settled = SETTLED_STATE[instance.state];
    return settled === undefined ? instance : setState(instance, settled);
  }

  /** Moves a machine in `from` to `transition`; one already in (or on its way to) the target stays as it is. */
  function change(id: string, from: InstanceState, transition: InstanceState, target: InstanceState, fail: MemoryFailure) {
    const instance = instances.get(id) ?? fail('not_found', `Instance "${id}" does not exist`);
    const previousState = instance.state;
    if (previousState === target || previousState === transition) return { instanceId: id, previousState, currentState: previousState };
    if (previousState !== from) fail('conflict', `Instance "${id}" is ${previousState}`);
    return { instanceId: id, previousState, currentState: setState(instance, transition).state };
  }

  const handlers: Handlers = {
    listInstances(input, fail) {
      const all = [...instances.keys()].sort().map((id) => read(id, fail));
      const page = paginate(input.state === undefined ? all : all.filter((instance) => instance.state === input.state), input, fail);
      return page.nextCursor === undefined ? { instances: page.items } : { instances: page.items, nextCursor: page.nextCursor };
    },
    getInstance(input, fail) {
      return read(input.instanceId, fail);
    },
    startInstance(input, fail) {
      return change(input.instanceId, 'stopped', 'pending', 'running', fail);
    },
    stopInstance(input, fail) {
      return change(input.instanceId, 'running', 'stopping', 'stopped', fail);
    },
  };

  const provider = createMemoryProvider({
    id: options.id ?? 'memory-compute',
    name: 'In-memory compute',
    category: 'cloud',
    contract: computeV1,
    handlers,
  });
  return Object.freeze({ ...provider, seed });
}
