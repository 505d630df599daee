import {
  validateProviderManifest,
  type ProviderCategory,
  type ProviderV1,
} from '@switchyard/core';
import { describe, expect, it } from 'vitest';

/** Options for {@link testProvider}. */
export interface TestProviderOptions {
  /** Builds a fresh provider with the settings the test wants; called once per check. */
  readonly create: () => ProviderV1;
  /** The manifest id the provider must report, e.g. `"github"`. */
  readonly id: string;
  /** The category the provider must report, matching its folder under `libs/`. */
  readonly category: ProviderCategory;
  /** Extra tests to run inside the suite's `describe` block. */
  readonly additionalTests?: () => void;
}

/** One check of the provider contract; throws when the provider breaks it. */
export interface ProviderContractCheck {
  readonly title: string;
  readonly run: (options: TestProviderOptions) => void;
}

/** The checks {@link testProvider} runs, in order. Exported for the suite's own tests. */
export const providerContractChecks: readonly ProviderContractCheck[] = [
  {
    title: 'returns a specification v1 provider with a valid manifest',
    run({ create }) {
      const provider = create();
      expect(provider.specificationVersion).toBe('v1');
      validateProviderManifest(provider.manifest);
    },
  },
  {
    title: 'reports the expected id and category',
    run({ create, id, category }) {
      const { manifest } = create();
      expect(manifest.id).toBe(id);
      expect(manifest.category).toBe(category);
    },
  },
  {
    title: 'keeps its manifest immutable so a host cannot change what the router sees',
    run({ create }) {
      const { manifest } = create();
      expect(Object.isFrozen(manifest), 'manifest is frozen').toBe(true);
      expect(Object.isFrozen(manifest.capabilities), 'manifest.capabilities is frozen').toBe(true);
    },
  },
  {
    title: 'gives every call its own provider object',
    run({ create }) {
      expect(create()).not.toBe(create());
    },
  },
];

/**
 * The contract every provider package runs, whatever its capabilities: the
 * factory returns a complete, valid, immutable provider object on every call.
 * Capability suites (storage, messaging, ...) build on it.
 *
 * @example
 * ```ts
 * testProvider({ id: 'acme', category: 'communication', create: () => createAcme() });
 * ```
 */
export function testProvider(options: TestProviderOptions): void {
  describe(`provider contract: ${options.id}`, () => {
    for (const check of providerContractChecks) {
      it(check.title, () => check.run(options));
    }
    options.additionalTests?.();
  });
}
