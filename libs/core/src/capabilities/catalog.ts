import type { CapabilityContract } from './capability';
import { computeV1 } from './compute';
import { functionsV1 } from './functions';
import { issuesV1 } from './issues';
import { messagingV1 } from './messaging';
import { repositoriesV1 } from './repositories';
import { storageV1 } from './storage';

/**
 * The capability contracts core defines, one entry per name and version.
 * Every hub knows these; a host adds its own with `defineCapability` (passed
 * to `createHub({ capabilities })`, carried by its providers, or given to
 * `hub.capability()`).
 */
export const capabilityContracts: readonly CapabilityContract[] = Object.freeze([
  storageV1,
  messagingV1,
  issuesV1,
  functionsV1,
  computeV1,
  repositoriesV1,
]);

/**
 * Core's contract for a capability name and version, or `undefined` when core
 * defines none (a host's own capability, or a version that does not exist).
 *
 * @example
 * ```ts
 * const contract = findCapabilityContract('storage', 1); // storageV1
 * ```
 */
export function findCapabilityContract(name: string, version: number): CapabilityContract | undefined {
  return capabilityContracts.find((contract) => contract.name === name && contract.version === version);
}
