import { capabilityContractProblems, type CapabilityContract } from '../capabilities/capability';
import { IntegrationError } from '../errors/integration-error';
import type { ProviderCategory } from '../provider/provider-category';
import type { ProviderV1 } from '../provider/provider';
import { validateProviderManifest } from '../provider/provider-manifest';
import { ContractCatalog } from './contract-catalog';

/** Finds the contract for a capability name and version, or undefined when the hub has none. */
export type ContractLookup = (name: string, version: number) => CapabilityContract | undefined;

/** What `registry.statistics()` reports. */
export interface RegistryStatistics {
  readonly providers: number;
  readonly byCategory: Readonly<Record<string, number>>;
  /** Providers per capability. */
  readonly byCapability: Readonly<Record<string, number>>;
  /** Routable operations (`capability.operation`) with at least one provider. */
  readonly operations: number;
  /** Provider-specific operations across all providers. */
  readonly providerOperations: number;
}

/**
 * The providers a hub knows, indexed by `capability.operation` so the router
 * finds candidates with one map lookup, and the capability contracts they
 * implement. Registration is explicit and checks the whole provider object:
 * a clear `validation` error names the bad field.
 */
export class ProviderRegistry {
  private readonly providers = new Map<string, ProviderV1>();
  private readonly byOperation = new Map<string, ProviderV1[]>();
  private readonly catalog: ContractCatalog;
  private changes = 0;

  /**
   * @param contracts - the contracts known before any provider, at most one
   *   per name (`conflict` otherwise). Default: none. Providers add the
   *   contracts they carry (`ProviderV1.contracts`), core's built-in ones
   *   included, so a hub knows exactly the capabilities it can route.
   */
  constructor(contracts: readonly CapabilityContract[] = []) {
    this.catalog = new ContractCatalog(contracts);
  }

  /**
   * Adds a provider, and learns the contracts it carries. Throws a
   * `validation` error for a bad provider or a capability the registry has no
   * contract for, and `conflict` for a taken id or a carried contract that
   * differs from the one held under its name.
   */
  register(provider: ProviderV1): void {
    const { manifest, contracts } = this.validate(provider);
    if (this.providers.has(manifest.id)) {
      throw new IntegrationError({
        kind: 'conflict',
        message: `A provider with id "${manifest.id}" is already registered; unregister it first`,
        provider: manifest.id,
      });
    }
    for (const contract of contracts) this.catalog.add(contract, `Provider "${manifest.id}"`);
    this.providers.set(manifest.id, provider);
    this.reindex();
  }

  /** The contract routed under a capability name; with `version`, only when it is that version. */
  contract(name: string, version?: number): CapabilityContract | undefined {
    return this.catalog.get(name, version);
  }

  /** Every contract known, core's and the host's, in the order learned. Unregistering a provider keeps its contracts. */
  contracts(): CapabilityContract[] {
    return [...this.catalog.byName.values()];
  }

  /** The contract routed under each name, as the router reads it (do not mutate). */
  get contractsByName(): ReadonlyMap<string, CapabilityContract> {
    return this.catalog.byName;
  }

  /** Learns a contract before any provider brings it; throws `conflict` when another contract holds its name. */
  addContract(contract: CapabilityContract): void {
    const problems = capabilityContractProblems(contract);
    if (problems.length > 0) {
      throw new IntegrationError({ kind: 'validation', message: `Invalid capability contract: ${problems.join('; ')}` });
    }
    if (this.catalog.add(contract, 'The host')) this.changes += 1;
  }

  /** A number that changes whenever a provider or contract is added or removed: what the tool list is cached by. */
  get revision(): number {
    return this.changes;
  }

  /** Removes a provider; returns whether it was registered. */
  unregister(id: string): boolean {
    const removed = this.providers.delete(id);
    if (removed) this.reindex();
    return removed;
  }

  get(id: string): ProviderV1 | undefined {
    return this.providers.get(id);
  }

  /** Every provider, in registration order. */
  list(): ProviderV1[] {
    return [...this.providers.values()];
  }

  /** Providers that implement `operation` of `capability` (any operation if omitted), in registration order. */
  findByCapability(capability: string, operation?: string): ProviderV1[] {
    if (operation !== undefined) return [...(this.byOperation.get(`${capability}.${operation}`) ?? [])];
    return this.list().filter((provider) => provider.manifest.capabilities.some((entry) => entry.name === capability));
  }

  /** The providers for `capability.operation`, as the router reads them (do not mutate). */
  candidates(key: string): readonly ProviderV1[] {
    return this.byOperation.get(key) ?? EMPTY;
  }

  findByCategory(category: ProviderCategory): ProviderV1[] {
    return this.list().filter((provider) => provider.manifest.category === category);
  }

  /** Providers whose id, name, category, capabilities or operations contain `text` (case-insensitive). */
  search(text: string): ProviderV1[] {
    const needle = text.trim().toLowerCase();
    if (needle === '') return this.list();
    return this.list().filter((provider) => {
      const { manifest } = provider;
      const haystack = [
        manifest.id,
        manifest.name,
        manifest.category,
        ...manifest.capabilities.flatMap((entry) => [entry.name, ...entry.operations]),
        ...Object.keys(provider.operations ?? {}),
      ];
      return haystack.some((value) => value.toLowerCase().includes(needle));
    });
  }

  statistics(): RegistryStatistics {
    const byCategory: Record<string, number> = {};
    const byCapability: Record<string, number> = {};
    let providerOperations = 0;
    for (const provider of this.providers.values()) {
      byCategory[provider.manifest.category] = (byCategory[provider.manifest.category] ?? 0) + 1;
      for (const entry of provider.manifest.capabilities) {
        byCapability[entry.name] = (byCapability[entry.name] ?? 0) + 1;
      }
      providerOperations += Object.keys(provider.operations ?? {}).length;
    }
    return {
      providers: this.providers.size,
      byCategory,
      byCapability,
      operations: this.byOperation.size,
      providerOperations,
    };
  }

  private validate(provider: ProviderV1): { manifest: ProviderV1['manifest']; contracts: readonly CapabilityContract[] } {
    const fail = (field: string, problem: string): never => {
      throw new IntegrationError({ kind: 'validation', message: `Invalid provider: ${field}: ${problem}` });
    };
    if (typeof provider !== 'object' || provider === null) fail('(provider)', 'must be an object');
    if (provider.specificationVersion !== 'v1') {
      fail('specificationVersion', `must be "v1", got ${JSON.stringify(provider.specificationVersion)}`);
    }
    const manifest = validateProviderManifest(provider.manifest);
    if (typeof provider.execute !== 'function') fail('execute', 'must be a function');
    const carried = this.carriedContracts(provider, manifest.id, fail);
    manifest.capabilities.forEach((entry, index) => {
      const contract = this.catalog.get(entry.name) ?? carried.get(entry.name);
      if (contract?.version !== entry.version) {
        fail(
          `manifest.capabilities.${index}`,
          contract === undefined
            ? `${entry.name} v${entry.version} has no contract: the hub knows none and the provider carries none ` +
                '(build the provider with defineProvider, or list the contract in its `contracts` or in createHub({ capabilities }); ' +
                "core's are exported by @switchyard/core/capabilities)"
            : `${entry.name} v${entry.version} has no contract: the hub routes ${entry.name} v${contract.version}`,
        );
        return;
      }
      entry.operations.forEach((operation, operationIndex) => {
        if (!Object.hasOwn(contract.operations, operation)) {
          fail(
            `manifest.capabilities.${index}.operations.${operationIndex}`,
            `${entry.name} v${entry.version} has no operation "${operation}" (it has ${Object.keys(contract.operations).join(', ')})`,
          );
        }
      });
    });
    for (const [name, operation] of Object.entries(provider.operations ?? {})) {
      if (!/^[a-z][A-Za-z0-9]*$/.test(name)) fail(`operations.${name}`, 'must be a camelCase name');
      if (typeof operation.execute !== 'function') fail(`operations.${name}.execute`, 'must be a function');
      if (typeof operation.input?.safeParse !== 'function') fail(`operations.${name}.input`, 'must be a zod schema');
      if (typeof operation.output?.safeParse !== 'function') fail(`operations.${name}.output`, 'must be a zod schema');
    }
    if (provider.healthCheck !== undefined && typeof provider.healthCheck !== 'function') {
      fail('healthCheck', 'must be a function');
    }
    return { manifest, contracts: [...carried.byName.values()] };
  }

  /** The well-formed contracts a provider carries; throws `conflict` for one that differs from the contract held under its name. */
  private carriedContracts(provider: ProviderV1, id: string, fail: (field: string, problem: string) => never): ContractCatalog {
    const carried = new ContractCatalog([]);
    const { contracts } = provider;
    if (contracts === undefined) return carried;
    // Checked on the property: Array.isArray would narrow `contracts` itself to any[].
    if (!Array.isArray(provider.contracts)) fail('contracts', 'must be an array of capability contracts');
    const owner = `Provider "${id}"`;
    contracts.forEach((contract, index) => {
      const problems = capabilityContractProblems(contract);
      if (problems.length > 0) fail(`contracts.${index}`, problems.join('; '));
      const conflict = carried.conflict(contract, owner) ?? this.catalog.conflict(contract, owner);
      if (conflict !== undefined) throw new IntegrationError({ kind: 'conflict', message: conflict, provider: id });
      carried.add(contract, owner);
    });
    return carried;
  }

  private reindex(): void {
    this.changes += 1;
    this.byOperation.clear();
    for (const provider of this.providers.values()) {
      for (const entry of provider.manifest.capabilities) {
        for (const operation of entry.operations) {
          const key = `${entry.name}.${operation}`;
          const list = this.byOperation.get(key);
          if (list === undefined) this.byOperation.set(key, [provider]);
          else list.push(provider);
        }
      }
    }
  }
}

const EMPTY: readonly ProviderV1[] = Object.freeze([]);
