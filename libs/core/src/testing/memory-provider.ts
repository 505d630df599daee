import { Buffer } from 'node:buffer';
import {
  IntegrationError,
  type CapabilityContract,
  type ErrorKind,
  type ProviderCategory,
  type ProviderManifest,
  type ProviderV1,
} from '../index';

/** Where the in-memory providers' manifests point. */
export const MEMORY_PROVIDERS_DOCS_URL = 'https://github.com/switchyard-dev/switchyard/tree/main/libs/testing#readme';

/** Throws the `IntegrationError` an in-memory provider reports for the operation being run. */
export type MemoryFailure = (kind: ErrorKind, message: string) => never;

/** What an in-memory provider is made of: identity, one contract, and one handler per operation. */
export interface MemoryProviderDefinition {
  readonly id: string;
  readonly name: string;
  readonly category: ProviderCategory;
  readonly contract: CapabilityContract;
  /** One handler per supported contract operation, receiving parsed input. */
  readonly handlers: Readonly<Record<string, (input: never, fail: MemoryFailure) => unknown>>;
}

/**
 * Builds a complete, frozen in-memory `ProviderV1` from a definition: a
 * manifest listing every handled operation with `authKinds: ['none']`, and an
 * `execute` that fails with `unsupported` for other capabilities and
 * operations, with `timeout` when the call's signal has already aborted, and
 * answers with deep copies so callers cannot reach into the provider's state.
 */
export function createMemoryProvider(definition: MemoryProviderDefinition): ProviderV1 {
  const { contract } = definition;
  const manifest: ProviderManifest = Object.freeze({
    id: definition.id,
    name: definition.name,
    category: definition.category,
    docsUrl: MEMORY_PROVIDERS_DOCS_URL,
    capabilities: Object.freeze([
      Object.freeze({
        name: contract.name,
        version: contract.version,
        operations: Object.freeze(Object.keys(definition.handlers)),
      }),
    ]),
    authKinds: Object.freeze(['none'] as const),
  });
  return Object.freeze({
    specificationVersion: 'v1',
    manifest,
    contracts: Object.freeze([contract]),
    execute(request, context) {
      return new Promise<unknown>((resolve) => {
        const operation = `${request.capability}.${request.operation}`;
        const fail: MemoryFailure = (kind, message) => {
          throw new IntegrationError({ kind, message, provider: definition.id, operation });
        };
        const handler = Object.hasOwn(definition.handlers, request.operation) ? definition.handlers[request.operation] : undefined;
        if (request.capability !== contract.name || handler === undefined) {
          fail('unsupported', `${definition.name} does not support ${operation}`);
        }
        if (context.signal.aborted) fail('timeout', `${operation} was aborted before it started`);
        resolve(structuredClone(handler(request.input as never, fail)));
      });
    },
  } satisfies ProviderV1);
}

/**
 * One page of `items` starting at an opaque offset cursor, as the in-memory
 * providers page their lists. A cursor they did not issue fails with
 * `validation`.
 */
export function paginate<Item>(
  items: readonly Item[],
  page: { readonly cursor?: string | undefined; readonly limit: number },
  fail: MemoryFailure,
): { items: Item[]; nextCursor?: string } {
  let offset = 0;
  if (page.cursor !== undefined) {
    const match = /^offset:(\d+)$/.exec(Buffer.from(page.cursor, 'base64url').toString('utf8'));
    if (match?.[1] === undefined) fail('validation', `Unknown cursor "${page.cursor}"`);
    offset = Number(match?.[1]);
  }
  const end = offset + page.limit;
  const pageItems = items.slice(offset, end);
  return end < items.length
    ? { items: pageItems, nextCursor: Buffer.from(`offset:${end}`, 'utf8').toString('base64url') }
    : { items: pageItems };
}
