import { createRequire } from 'node:module';

/** What {@link loadOptionalPeer} takes. */
export interface OptionalPeerOptions<Module> {
  /** The optional peer dependency, e.g. `@switchyard/testing`. */
  readonly name: string;
  /** Who needs it, for the message, e.g. `@switchyard/github/testing`. */
  readonly requiredBy: string;
  /** The caller's `import.meta.url`: the peer is resolved from the package that declares it, as its consumers install it. */
  readonly from: string;
  /** The caller's own `import()` of the peer (so bundlers and resolvers see the specifier where it is declared). */
  readonly load: () => Promise<Module>;
}

/**
 * Loads an optional peer dependency on first use, or fails with what to
 * install instead of a bare ERR_MODULE_NOT_FOUND. Provider packages' `./testing`
 * entry points use it for `@switchyard/testing`.
 *
 * @example
 * ```ts
 * const kit = await loadOptionalPeer({ name: '@switchyard/testing', requiredBy: '@switchyard/aws/testing',
 *   from: import.meta.url, load: () => import('@switchyard/testing') });
 * ```
 */
export async function loadOptionalPeer<Module>(options: OptionalPeerOptions<Module>): Promise<Module> {
  try {
    createRequire(options.from).resolve(options.name);
  } catch (error) {
    throw new Error(`${options.requiredBy} needs its optional peer dependency ${options.name}: npm install --save-dev ${options.name}`, {
      cause: error,
    });
  }
  return options.load();
}
