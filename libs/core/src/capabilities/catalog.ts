import type { CapabilityContract } from './capability';
import { computeV1 } from './compute';
import { functionsV1 } from './functions';
import { issuesV1 } from './issues';
import { messagingV1 } from './messaging';
import { repositoriesV1 } from './repositories';
import { storageV1 } from './storage';

/**
 * Every capability contract core holds, one entry per name and version. Only
 * these capabilities are routable; the other `CAPABILITY_NAMES` (such as
 * `analytics`, `upload`, `content`, `comments`, `live`) are reserved until
 * their contracts arrive.
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
 * The contract for a capability name and version, or `undefined` when core
 * has none (an unknown name, a reserved name without a contract yet, or a
 * version that does not exist).
 *
 * @example
 * ```ts
 * const contract = findCapabilityContract('storage', 1); // storageV1
 * ```
 */
export function findCapabilityContract(name: string, version: number): CapabilityContract | undefined {
  return capabilityContracts.find((contract) => contract.name === name && contract.version === version);
}
