import { Buffer } from 'node:buffer';
import {
  type FunctionInfo,
  type FunctionsOperationInput,
  type FunctionsOperationName,
  type FunctionsOperationOutput,
  type ProviderV1,
} from '../index';
import { functionsV1 } from '../capabilities/index';
import { createMemoryProvider, paginate, type MemoryFailure } from './memory-provider';

/** Options for {@link createMemoryFunctionsProvider}. */
export interface MemoryFunctionsProviderOptions {
  /** The manifest id. Default: `'memory-functions'`. */
  readonly id?: string;
}

type Handlers = {
  readonly [Name in FunctionsOperationName]: (input: FunctionsOperationInput<Name>, fail: MemoryFailure) => FunctionsOperationOutput<Name>;
};

/** The four bytes every zip archive with at least one file starts with ("PK\x03\x04"); an empty one starts with "PK\x05\x06". */
const ZIP_SIGNATURES = [Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from([0x50, 0x4b, 0x05, 0x06])];

function isZipArchive(zipBase64: string): boolean {
  const head = Buffer.from(zipBase64.slice(0, 8), 'base64').subarray(0, 4);
  return ZIP_SIGNATURES.some((signature) => signature.equals(head));
}

/**
 * An in-memory `functions` v1 provider. Every deployed function echoes its
 * payload, whatever the zip holds: `invokeFunction` in `sync` mode answers
 * status 200 with the payload (or `null` when there is none) as the result,
 * in `async` mode status 202 and no result. Deploying checks the package is a
 * zip (else `validation`) and replaces an existing function of that name;
 * functions are listed in name order; missing functions are `not_found`.
 * State lives in the returned object, so each call starts empty.
 *
 * @example
 * ```ts
 * testFunctionsProvider({ create: () => createMemoryFunctionsProvider() });
 * ```
 */
export function createMemoryFunctionsProvider(options: MemoryFunctionsProviderOptions = {}): ProviderV1 {
  const functions = new Map<string, FunctionInfo>();

  function deployed(name: string, fail: MemoryFailure): FunctionInfo {
    return functions.get(name) ?? fail('not_found', `Function "${name}" does not exist`);
  }

  const handlers: Handlers = {
    deployFunction(input, fail) {
      if (!isZipArchive(input.zipBase64)) fail('validation', 'zipBase64: the package is not a zip archive');
      const info: FunctionInfo = {
        name: input.name,
        ...(input.runtime === undefined ? {} : { runtime: input.runtime }),
        state: 'active',
        lastModified: new Date().toISOString(),
      };
      functions.set(input.name, info);
      return info;
    },
    invokeFunction(input, fail) {
      deployed(input.name, fail);
      return input.mode === 'async' ? { statusCode: 202 } : { statusCode: 200, result: input.payload ?? null };
    },
    getFunction(input, fail) {
      return deployed(input.name, fail);
    },
    listFunctions(input, fail) {
      const sorted = [...functions.values()].sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
      const page = paginate(sorted, input, fail);
      return page.nextCursor === undefined ? { functions: page.items } : { functions: page.items, nextCursor: page.nextCursor };
    },
    deleteFunction(input, fail) {
      deployed(input.name, fail);
      functions.delete(input.name);
      return { name: input.name };
    },
  };

  return createMemoryProvider({
    id: options.id ?? 'memory-functions',
    name: 'In-memory functions',
    category: 'cloud',
    contract: functionsV1,
    handlers,
  });
}
