import type { CapabilityContract } from '../capabilities/capability';
import { findCapabilityContract } from '../capabilities/catalog';
import { IntegrationError } from '../errors/integration-error';
import type { ProviderCallContext, ProviderOperation, ProviderRequest, ProviderV1 } from '../provider/provider';
import type { ProviderCategory } from '../provider/provider-category';
import type { ProviderCapability, ProviderManifest } from '../provider/provider-manifest';

/** One call a fake provider received. */
export interface FakeProviderCall {
  readonly capability: string;
  readonly operation: string;
  readonly input: unknown;
  readonly attempt: number;
  readonly idempotencyKey: string | undefined;
  /** Epoch ms when the call arrived. */
  readonly at: number;
}

/** Options of {@link createFakeProvider}. */
export interface FakeProviderOptions {
  readonly id: string;
  /** Default: the id. */
  readonly name?: string;
  /** Default: `cloud`. */
  readonly category?: ProviderCategory;
  readonly capabilities: readonly ProviderCapability[];
  /** Contracts the provider carries (`ProviderV1.contracts`). Default: core's contract for each capability listed that core defines. */
  readonly contracts?: readonly CapabilityContract[];
  /** Answers a call; default: every call fails with `unsupported`. */
  readonly handle?: (request: ProviderRequest, context: ProviderCallContext) => unknown;
  /** Extra delay before each answer, in ms (honours the call's abort signal). Default 0. */
  readonly latencyMs?: number;
  readonly rateLimits?: ProviderManifest['rateLimits'];
  readonly costs?: ProviderManifest['costs'];
  readonly operations?: Readonly<Record<string, ProviderOperation>>;
  /** What `isConfigured()` answers. Default true. */
  readonly configured?: boolean;
}

/** A fake provider under a test's control. */
export interface FakeProvider extends ProviderV1 {
  /** Every call received, oldest first. */
  readonly calls: readonly FakeProviderCall[];
  /** Makes the next `times` calls (every call when omitted) fail with a fresh error from `error`. */
  failWith(error: () => IntegrationError, options?: { readonly times?: number }): void;
  /** Makes calls hang until their signal aborts. */
  hang(): void;
  /** Stops failing and hanging; health checks pass again. */
  recover(): void;
  setLatency(latencyMs: number): void;
  /** Whether the provider is failing or hanging. */
  readonly broken: boolean;
}

function abortable(delayMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = delayMs === Number.POSITIVE_INFINITY ? undefined : setTimeout(done, delayMs);
    function done(): void {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort(): void {
      clearTimeout(timer);
      reject(signal.reason as Error);
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Core's contracts for the capabilities listed, skipping names core does not define. */
function builtInContracts(capabilities: readonly ProviderCapability[]): CapabilityContract[] {
  const contracts = capabilities.map((entry) => findCapabilityContract(entry.name, entry.version));
  return [...new Set(contracts.filter((contract) => contract !== undefined))];
}

/**
 * A provider whose behaviour a test scripts: what it answers, when it fails
 * and how, how slow it is, and which calls it saw. Its health check fails
 * while it is broken.
 *
 * @example
 * ```ts
 * const primary = createFakeProvider({ id: 'primary', capabilities: [{ name: 'storage', version: 1, operations: ['headObject'] }], handle: () => object });
 * primary.failWith(() => new IntegrationError({ kind: 'network', message: 'reset' }), { times: 2 });
 * ```
 */
export function createFakeProvider(options: FakeProviderOptions): FakeProvider {
  const calls: FakeProviderCall[] = [];
  let failure: (() => IntegrationError) | undefined;
  let failuresLeft = Number.POSITIVE_INFINITY;
  let hanging = false;
  let latencyMs = options.latencyMs ?? 0;
  const manifest: ProviderManifest = Object.freeze({
    id: options.id,
    name: options.name ?? options.id,
    category: options.category ?? 'cloud',
    docsUrl: 'https://github.com/switchyard-dev/switchyard/tree/main/libs/testing#readme',
    capabilities: Object.freeze(
      options.capabilities.map((entry) => Object.freeze({ ...entry, operations: Object.freeze([...entry.operations]) })),
    ),
    authKinds: Object.freeze(['none'] as const),
    ...(options.rateLimits === undefined ? {} : { rateLimits: options.rateLimits }),
    ...(options.costs === undefined ? {} : { costs: options.costs }),
  });

  const nextFailure = (): IntegrationError | undefined => {
    if (failure === undefined || failuresLeft <= 0) return undefined;
    failuresLeft -= 1;
    return failure();
  };

  const provider: FakeProvider = {
    specificationVersion: 'v1',
    manifest,
    calls,
    get broken() {
      return hanging || (failure !== undefined && failuresLeft > 0);
    },
    async execute(request, context) {
      calls.push({
        capability: request.capability,
        operation: request.operation,
        input: request.input,
        attempt: context.attempt,
        idempotencyKey: context.idempotencyKey,
        at: Date.now(),
      });
      if (hanging) await abortable(Number.POSITIVE_INFINITY, context.signal);
      if (latencyMs > 0) await abortable(latencyMs, context.signal);
      const error = nextFailure();
      if (error !== undefined) throw error;
      if (options.handle === undefined) {
        throw new IntegrationError({ kind: 'unsupported', message: `${options.id} has no handler`, provider: options.id });
      }
      return options.handle(request, context);
    },
    async healthCheck({ signal }) {
      if (hanging) await abortable(Number.POSITIVE_INFINITY, signal);
      if (failure !== undefined && failuresLeft > 0) throw failure();
    },
    isConfigured: () => options.configured ?? true,
    ...(options.operations === undefined ? {} : { operations: options.operations }),
    contracts: options.contracts ?? builtInContracts(options.capabilities),
    failWith(error, failOptions) {
      failure = error;
      failuresLeft = failOptions?.times ?? Number.POSITIVE_INFINITY;
    },
    hang() {
      hanging = true;
    },
    recover() {
      failure = undefined;
      hanging = false;
    },
    setLatency(value) {
      latencyMs = value;
    },
  };
  return provider;
}
