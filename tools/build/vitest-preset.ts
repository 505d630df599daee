import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

/**
 * The vitest project configuration every package tests with: tests beside the
 * code as `src/**\/*.test.ts`, named after the package, with the same
 * `__PACKAGE_VERSION__` the build injects.
 *
 * @param packageDirectory - the package's folder (pass `import.meta.dirname`).
 */
export function libraryTestConfig(packageDirectory: string): UserWorkspaceConfig {
  const manifest = JSON.parse(readFileSync(join(packageDirectory, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  return defineProject({
    define: { __PACKAGE_VERSION__: JSON.stringify(manifest.version) },
    test: {
      name: manifest.name,
      root: packageDirectory,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
    },
  });
}
