/** A module imported on first use (see {@link lazyModule}). */
export interface LazyModule<T> {
  /** The module if it has loaded, else `undefined`: callers take the synchronous path once it is there. */
  loaded(): T | undefined;
  /**
   * Loads the module on first call; concurrent callers share one import. A
   * failed import is not kept: the next call tries again.
   */
  load(): Promise<T>;
}

/**
 * Wraps a dynamic `import()` so the module loads on first use, once, and is
 * then at hand synchronously.
 */
export function lazyModule<T>(importModule: () => Promise<T>): LazyModule<T> {
  let module: T | undefined;
  let loading: Promise<T> | undefined;
  return {
    loaded: () => module,
    load() {
      if (module !== undefined) return Promise.resolve(module);
      loading ??= importModule().then(
        (imported) => {
          module = imported;
          return imported;
        },
        (error: unknown) => {
          loading = undefined;
          throw error;
        },
      );
      return loading;
    },
  };
}
