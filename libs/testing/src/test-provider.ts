import { IntegrationError, silentLogger, validateProviderManifest, type ProviderCategory, type ProviderV1 } from '@switchyard/core';
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

/** One check of the provider contract; throws (or rejects) when the provider breaks it. */
export interface ProviderContractCheck {
  readonly title: string;
  readonly run: (options: TestProviderOptions) => void | Promise<void>;
}

/** The checks {@link testProvider} runs, in order. Exported for the suite's own tests. */
export const providerContractChecks: readonly ProviderContractCheck[] = [
  {
    title: 'returns a specification v1 provider with a valid manifest',
    run({ create }) {
      const provider = create();
      expect(provider.specificationVersion).toBe('v1');
      validateProviderManifest(provider.manifest);
      expect(typeof provider.execute, 'execute').toBe('function');
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
  {
    title: 'rejects an operation it does not offer with an unsupported IntegrationError',
    async run({ create }) {
      const provider = create();
      const context = {
        signal: new AbortController().signal,
        attempt: 1,
        idempotencyKey: undefined,
        deadline: undefined,
        logger: silentLogger,
      };
      const outcome = await provider.execute({ capability: 'storage', operation: 'noSuchOperation', input: {} }, context).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(IntegrationError.isInstance(outcome), 'rejected with an IntegrationError').toBe(true);
      expect((outcome as IntegrationError).kind).toBe('unsupported');
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
      it(check.title, async () => {
        await check.run(options);
      });
    }
    options.additionalTests?.();
  });
}
