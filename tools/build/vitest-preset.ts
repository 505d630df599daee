import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const workspaceRoot = join(import.meta.dirname, '..', '..');

/** Where a project's JSON test report goes; `npm test` sums these (tools/scripts/test-summary.ts). */
export function testReportPath(projectName: string): string {
  return join(workspaceRoot, 'tmp', 'test-results', `${projectName}.json`);
}

/** Settings a project may change in {@link libraryTestConfig}. */
export interface LibraryTestOptions {
  /** Test file globs; default: `src/**\/*.test.ts` and `test/**\/*.test.ts`. */
  readonly include?: string[];
  /** Per-test timeout in milliseconds; default: vitest's 5 000. */
  readonly testTimeout?: number;
}

/**
 * The vitest project configuration every project tests with: tests beside the
 * code, named after the package, the same `__PACKAGE_VERSION__` the build
 * injects, and a JSON report for the workspace summary. It is a full config,
 * not `defineProject`: Nx runs each project as its own vitest root, and vitest
 * 5 takes reporters only from the root.
 *
 * @param packageDirectory - the package's folder (pass `import.meta.dirname`).
 */
export function libraryTestConfig(packageDirectory: string, options: LibraryTestOptions = {}): ViteUserConfig {
  const manifest = JSON.parse(readFileSync(join(packageDirectory, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  return defineConfig({
    define: { __PACKAGE_VERSION__: JSON.stringify(manifest.version) },
    test: {
      name: manifest.name,
      root: packageDirectory,
      include: options.include ?? ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      ...(options.testTimeout === undefined ? {} : { testTimeout: options.testTimeout }),
      reporters: ['default', 'json'],
      outputFile: { json: testReportPath(manifest.name) },
    },
  });
}
