import type { PackageManifest } from './workspace.ts';

/** Paths a package.json promises: `main`, `types` and every target in `exports`. */
export function promisedPaths(manifest: PackageManifest): string[] {
  const paths = new Set<string>();
  const add = (target: unknown): void => {
    if (typeof target === 'string') paths.add(target.replace(/^\.\//, ''));
    else if (target !== null && typeof target === 'object') Object.values(target).forEach(add);
  };
  add(manifest.main);
  add(manifest.types);
  add(manifest.exports);
  return [...paths].sort();
}
