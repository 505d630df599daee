import type { CapabilityContract } from '../capabilities/capability';
import { IntegrationError } from '../errors/integration-error';

/**
 * The capability contracts a hub routes, at most one per capability name:
 * a call names a capability, not a version, so two versions (or two
 * different definitions of one version) under one name would make its
 * input mean two things. Contracts are only ever added, never replaced, so
 * what the router resolved once stays true.
 */
export class ContractCatalog {
  /** The contract routed under each capability name. */
  readonly byName = new Map<string, CapabilityContract>();

  /** Throws `conflict` when two of `contracts` share a name. */
  constructor(contracts: readonly CapabilityContract[]) {
    for (const contract of contracts) this.add(contract, 'createHub({ capabilities })');
  }

  /** The contract routed under `name`; with `version`, only when it is that version. */
  get(name: string, version?: number): CapabilityContract | undefined {
    const contract = this.byName.get(name);
    return version === undefined || contract?.version === version ? contract : undefined;
  }

  /**
   * Why `contract` cannot join the catalog, or `undefined` when it can (it is
   * new, or already here). `owner` names who brings it, e.g. `Provider "acme"`.
   */
  conflict(contract: CapabilityContract, owner: string): string | undefined {
    const known = this.byName.get(contract.name);
    if (known === undefined || known === contract) return undefined;
    const declared = `${owner} declares ${contract.name} v${contract.version}`;
    return known.version === contract.version
      ? `${declared}, but the hub already holds a different ${known.name} v${known.version} contract; define each contract once with defineCapability and share that object`
      : `${declared}, but the hub routes ${known.name} v${known.version}, and it routes one version of each capability`;
  }

  /**
   * Adds `contract` and returns true, or returns false when it is already
   * here; throws `conflict` when another contract holds its name.
   */
  add(contract: CapabilityContract, owner: string): boolean {
    const conflict = this.conflict(contract, owner);
    if (conflict !== undefined) throw new IntegrationError({ kind: 'conflict', message: conflict });
    if (this.byName.get(contract.name) === contract) return false;
    this.byName.set(contract.name, contract);
    return true;
  }
}
