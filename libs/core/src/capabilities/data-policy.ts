/**
 * What an operation does to data that lives on a provider, and the policies
 * that keep that data findable when calls fail over (docs/routing.md, "Data
 * that lives somewhere"). An operation without a {@link OperationResource} is
 * stateless (send a message, run a function): it fails over freely.
 */

/** How an operation touches a resource held by one provider. */
export type ResourceAccess = 'read' | 'write' | 'delete' | 'list';

/** The resource an operation reads, writes or deletes, declared by its contract. */
export interface OperationResource<Input = unknown> {
  readonly access: ResourceAccess;
  /**
   * The keys of the resources the call touches, from its parsed input, e.g.
   * `acme-uploads/reports/q1.csv` for a storage object. Placement records,
   * mirrors and pins need it; without it an operation can only be routed
   * `primary`, `primary-only` or `first-found`.
   */
  keys?(input: Input): readonly string[];
  /** For a write that copies (storage's `copyObject`): the key it reads from, so it runs where that resource is. */
  source?(input: Input): string;
}

/**
 * How a capability's resources are copied from one provider to another, so a
 * provider that missed a mirrored write can be repaired: read the resource
 * from a provider that holds it, write what was read to the one that missed
 * it, or delete it there. Without it, a capability cannot be mirrored.
 */
export interface CapabilityReplication {
  /** The operation and input that read the resource `key`. */
  read(key: string): { readonly operation: string; readonly input: unknown };
  /** The operation and input that write `value` (what `read` returned) as the resource `key`. */
  write(key: string, value: unknown): { readonly operation: string; readonly input: unknown };
  /** The operation and input that delete the resource `key`; it must succeed when the resource is already gone. */
  delete(key: string): { readonly operation: string; readonly input: unknown };
  /** The version tag (an ETag) a write's output reports, recorded with the placement. */
  versionOf?(output: unknown): string | undefined;
}

/**
 * Where writes go:
 * - `primary`: the best provider; fail over when it fails, and record where the write went;
 * - `primary-only`: the primary provider only, never another one (systems of record);
 * - `mirror`: every provider of `mirrorTo` in parallel, acknowledged once `quorum` of them hold it;
 *   one that missed it is repaired later;
 * - `pinned`: each key lives on the providers of the `pins` entry its key starts with.
 */
export type WritePolicy = 'primary' | 'primary-only' | 'mirror' | 'pinned';

/**
 * Where reads look:
 * - `placement`: the providers the placement record says hold the resource, then `first-found`
 *   over the rest when there is no record;
 * - `first-found`: every candidate in score order, treating `not_found` as "try the next";
 * - `primary-only`: the primary provider only.
 */
export type ReadPolicy = 'placement' | 'first-found' | 'primary-only';

/** Keys starting with `prefix` live on `providers` only, tried in the order listed. */
export interface PlacementPin {
  readonly prefix: string;
  readonly providers: readonly string[];
}

/**
 * The failover policy of a capability's stateful operations. Contracts give
 * defaults; `routing.policies[capability]` and a call's `policy` override
 * them field by field.
 */
export interface DataPolicy {
  readonly write?: WritePolicy;
  readonly read?: ReadPolicy;
  /** For `mirror`: the providers written to, in order. Default: every provider of the operation. */
  readonly mirrorTo?: readonly string[];
  /** For `mirror`: how many of them must hold a write before it is acknowledged. Default: a majority. */
  readonly quorum?: number;
  /** Key prefixes that live on named providers (with `write: 'pinned'`, every key must match one). */
  readonly pins?: readonly PlacementPin[];
}

/** The policy a host-defined capability gets when its contract sets none: fail over and record writes, look where they went. */
export const DEFAULT_DATA_POLICY: Readonly<Required<Pick<DataPolicy, 'write' | 'read'>>> = Object.freeze({
  write: 'primary',
  read: 'placement',
});

/** The policy of a system of record (issues, CRM, payments): one provider owns the data, so nothing fails over to another. */
export const SYSTEM_OF_RECORD_POLICY: Readonly<Required<Pick<DataPolicy, 'write' | 'read'>>> = Object.freeze({
  write: 'primary-only',
  read: 'primary-only',
});

/**
 * An operation's {@link OperationResource}, typed for a contract's operation
 * object literal.
 *
 * @example
 * ```ts
 * const getFunction = { ..., resource: touches('read', (input: { name: string }) => [input.name]) };
 * ```
 */
export function touches<Input = unknown>(access: ResourceAccess, keys?: (input: Input) => readonly string[]): OperationResource<Input> {
  return keys === undefined ? { access } : { access, keys };
}
