import type { CapabilityContract, OperationContract } from '../capabilities/capability';
import {
  DEFAULT_DATA_POLICY,
  type DataPolicy,
  type PlacementPin,
  type ReadPolicy,
  type ResourceAccess,
  type WritePolicy,
} from '../capabilities/data-policy';
import { IntegrationError } from '../errors/integration-error';

/** The policy in force for one operation: the contract's, the hub's and the call's, merged and checked. */
export interface EffectivePolicy {
  /** False for stateless operations, which fail over freely. */
  readonly stateful: boolean;
  readonly access: ResourceAccess | undefined;
  readonly write: WritePolicy;
  readonly read: ReadPolicy;
  readonly mirrorTo: readonly string[] | undefined;
  readonly quorum: number | undefined;
  readonly pins: readonly PlacementPin[];
  /** Where each field came from, lowest first: `contract`, then `hub` (routing.policies), then `call`. */
  readonly sources: readonly ('default' | 'contract' | 'hub' | 'call')[];
}

function invalid(message: string, operation: string): IntegrationError {
  return new IntegrationError({ kind: 'validation', message, operation });
}

/**
 * Merges the policy layers for `operation` of `contract` and checks that the
 * operation can follow it. A policy that needs resource keys on an operation
 * without them, a mirror of a capability that cannot be replicated, a quorum
 * that is not a whole number >= 1, or pins without providers fail with
 * `validation`. Reads fall back to `first-found` where a `placement` lookup is
 * impossible (an operation whose contract names no keys).
 */
export function effectivePolicy(
  contract: CapabilityContract | undefined,
  operation: OperationContract,
  operationKey: string,
  hubPolicy: DataPolicy | undefined,
  callPolicy: DataPolicy | undefined,
): EffectivePolicy {
  const sources: ('default' | 'contract' | 'hub' | 'call')[] = ['default'];
  if (contract?.dataPolicy !== undefined) sources.push('contract');
  if (hubPolicy !== undefined) sources.push('hub');
  if (callPolicy !== undefined) sources.push('call');
  const merged: DataPolicy = { ...DEFAULT_DATA_POLICY, ...contract?.dataPolicy, ...hubPolicy, ...callPolicy };
  const resource = operation.resource;
  const hasKeys = resource?.keys !== undefined;
  const write = merged.write ?? DEFAULT_DATA_POLICY.write;
  const pins = merged.pins ?? [];
  if (merged.quorum !== undefined && (!Number.isInteger(merged.quorum) || merged.quorum < 1)) {
    throw invalid(`policy.quorum must be a whole number >= 1, got ${String(merged.quorum)}`, operationKey);
  }
  for (const pin of pins) {
    if (typeof pin.prefix !== 'string' || !Array.isArray(pin.providers) || pin.providers.length === 0) {
      throw invalid(`policy.pins: every pin needs a prefix and at least one provider, got ${JSON.stringify(pin)}`, operationKey);
    }
  }
  if (resource !== undefined && resource.access !== 'read' && resource.access !== 'list') {
    if (write === 'mirror' && (!hasKeys || contract?.replication === undefined)) {
      throw invalid(
        `${operationKey} cannot be mirrored: ${hasKeys ? `the ${contract?.name ?? 'capability'} contract defines no replication` : 'its contract names no resource keys'}`,
        operationKey,
      );
    }
    if (write === 'pinned' && (!hasKeys || pins.length === 0)) {
      throw invalid(
        `${operationKey} cannot be pinned: ${hasKeys ? 'policy.pins is empty' : 'its contract names no resource keys'}`,
        operationKey,
      );
    }
  }
  const read = merged.read === 'placement' && !hasKeys ? 'first-found' : (merged.read ?? DEFAULT_DATA_POLICY.read);
  return {
    stateful: resource !== undefined,
    access: resource?.access,
    write,
    read,
    mirrorTo: merged.mirrorTo,
    quorum: merged.quorum,
    pins,
    sources,
  };
}

/** The pin whose prefix `key` starts with (the longest such prefix), or undefined. */
export function pinFor(pins: readonly PlacementPin[], key: string): PlacementPin | undefined {
  let found: PlacementPin | undefined;
  for (const pin of pins) if (key.startsWith(pin.prefix) && (found === undefined || pin.prefix.length > found.prefix.length)) found = pin;
  return found;
}
