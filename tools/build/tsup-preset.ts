import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Options } from 'tsup';

/**
 * The one tsup configuration every publishable `@switchyard/*` package builds with:
 * ESM only (Node >= 22.19 lets CommonJS hosts `require()` it), bundled `.d.ts`,
 * sourcemaps, and the package version injected as `__PACKAGE_VERSION__`.
 *
 * @param packageDirectory - the package's folder (pass `import.meta.dirname`).
 * @param overrides - tsup options that replace the defaults, e.g. extra `entry` points.
 */
export function libraryBuildConfig(packageDirectory: string, overrides: Options = {}): Options {
  const manifest = JSON.parse(readFileSync(join(packageDirectory, 'package.json'), 'utf8')) as {
    version: string;
  };
  return {
    entry: ['src/index.ts'],
    format: ['esm'],
    platform: 'node',
    target: 'node22',
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    define: { __PACKAGE_VERSION__: JSON.stringify(manifest.version) },
    ...overrides,
  };
}
