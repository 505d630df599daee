import type { CapabilityContract } from '../capabilities/capability';
import { IntegrationError } from '../errors/integration-error';
import type { ProviderCategory } from '../provider/provider-category';
import type { ProviderV1 } from '../provider/provider';
import { validateProviderManifest } from '../provider/provider-manifest';

/** Finds the contract for a capability name and version, or undefined when core has none. */
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
 * finds candidates with one map lookup. Registration is explicit and checks
 * the whole provider object: a clear `validation` error names the bad field.
 */
export class ProviderRegistry {
  private readonly providers = new Map<string, ProviderV1>();
  private readonly byOperation = new Map<string, ProviderV1[]>();
  private readonly findContract: ContractLookup;

  constructor(findContract: ContractLookup) {
    this.findContract = findContract;
  }

  /** Adds a provider; throws a `validation` error for a bad provider and `conflict` for a taken id. */
  register(provider: ProviderV1): void {
    const manifest = this.validate(provider);
    if (this.providers.has(manifest.id)) {
      throw new IntegrationError({
        kind: 'conflict',
        message: `A provider with id "${manifest.id}" is already registered; unregister it first`,
        provider: manifest.id,
      });
    }
    this.providers.set(manifest.id, provider);
    this.reindex();
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

  private validate(provider: ProviderV1): ProviderV1['manifest'] {
    const fail = (field: string, problem: string): never => {
      throw new IntegrationError({ kind: 'validation', message: `Invalid provider: ${field}: ${problem}` });
    };
    if (typeof provider !== 'object' || provider === null) fail('(provider)', 'must be an object');
    if (provider.specificationVersion !== 'v1') {
      fail('specificationVersion', `must be "v1", got ${JSON.stringify(provider.specificationVersion)}`);
    }
    const manifest = validateProviderManifest(provider.manifest);
    if (typeof provider.execute !== 'function') fail('execute', 'must be a function');
    manifest.capabilities.forEach((entry, index) => {
      const contract = this.findContract(entry.name, entry.version);
      if (contract === undefined) {
        fail(
          `manifest.capabilities.${index}`,
          `${entry.name} v${entry.version} has no contract in core yet; expose these operations as provider-specific operations`,
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
    return manifest;
  }

  private reindex(): void {
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
