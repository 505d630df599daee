import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProviderV1 } from '@switchyard/core';

/** An installed provider package, as its package.json's `"switchyard"` key describes it. */
export interface ProviderPackage {
  /** E.g. `@switchyard/github`. */
  readonly packageName: string;
  readonly version: string;
  /** The provider id its factory creates. */
  readonly providerId: string;
  /** The exported factory, e.g. `createGithub`. */
  readonly factory: string;
  /** Default: `''` when the key names none. */
  readonly category: string;
  /** The `node_modules` folder it was found in. */
  readonly nodeModules: string;
}

interface PackageManifest {
  readonly name?: unknown;
  readonly version?: unknown;
  readonly switchyard?: { readonly provider?: unknown; readonly factory?: unknown; readonly category?: unknown };
}

function readManifest(packageDirectory: string): PackageManifest | undefined {
  try {
    return JSON.parse(readFileSync(join(packageDirectory, 'package.json'), 'utf8')) as PackageManifest;
  } catch {
    return undefined;
  }
}

function toProviderPackage(packageDirectory: string, nodeModules: string): ProviderPackage | undefined {
  const manifest = readManifest(packageDirectory);
  const key = manifest?.switchyard;
  if (typeof manifest?.name !== 'string' || typeof key?.provider !== 'string' || typeof key.factory !== 'string') return undefined;
  return {
    packageName: manifest.name,
    version: typeof manifest.version === 'string' ? manifest.version : '0.0.0',
    providerId: key.provider,
    factory: key.factory,
    category: typeof key.category === 'string' ? key.category : '',
    nodeModules,
  };
}

function directories(folder: string): string[] {
  try {
    return readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
      .map((entry) => entry.name)
      .filter((name) => !name.startsWith('.'));
  } catch {
    return [];
  }
}

/** Every package folder in a `node_modules` folder, scoped ones included. */
function packageFolders(nodeModules: string): string[] {
  return directories(nodeModules).flatMap((name) =>
    name.startsWith('@') ? directories(join(nodeModules, name)).map((inner) => join(nodeModules, name, inner)) : [join(nodeModules, name)],
  );
}

/** The `node_modules` folders above `start`, nearest first, that hold an `@switchyard` scope. */
function switchyardScopesAbove(start: string): string[] {
  const found: string[] = [];
  for (let folder = start; ; folder = dirname(folder)) {
    const nodeModules = join(folder, 'node_modules');
    if (existsSync(join(nodeModules, '@switchyard'))) found.push(nodeModules);
    if (dirname(folder) === folder) return found;
  }
}

/**
 * Finds installed provider packages without importing them: every package in
 * `<cwd>/node_modules` (scoped ones too), and the `@switchyard/*` packages
 * next to the CLI, whose package.json has a `"switchyard": { provider,
 * factory }` key. Ordered by provider id; the first package per name wins.
 *
 * @param cwd - the directory whose `node_modules` is searched.
 * @param cliDirectory - where the CLI runs from. Default: this module's folder.
 *
 * @example
 * ```ts
 * for (const found of discoverProviderPackages(process.cwd())) console.log(found.providerId, found.packageName);
 * ```
 */
export function discoverProviderPackages(cwd: string, cliDirectory: string = import.meta.dirname): ProviderPackage[] {
  const byName = new Map<string, ProviderPackage>();
  const add = (packageDirectory: string, nodeModules: string): void => {
    const found = toProviderPackage(packageDirectory, nodeModules);
    if (found !== undefined && !byName.has(found.packageName)) byName.set(found.packageName, found);
  };
  const local = join(cwd, 'node_modules');
  for (const folder of packageFolders(local)) add(folder, local);
  for (const nodeModules of switchyardScopesAbove(cliDirectory)) {
    for (const name of directories(join(nodeModules, '@switchyard'))) add(join(nodeModules, '@switchyard', name), nodeModules);
  }
  return [...byName.values()].sort((left, right) => left.providerId.localeCompare(right.providerId));
}

/**
 * Imports a discovered package and calls its factory with no settings
 * (providers read their credentials from environment variables, lazily).
 * Throws when the package does not export the factory or it returns no provider.
 */
export async function loadProvider(found: ProviderPackage): Promise<ProviderV1> {
  const require = createRequire(join(dirname(found.nodeModules), 'index.js'));
  const entry = require.resolve(found.packageName);
  const module = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  const factory = module[found.factory];
  if (typeof factory !== 'function') {
    throw new Error(`${found.packageName} does not export the factory "${found.factory}" its package.json names`);
  }
  const provider = (factory as () => unknown)() as ProviderV1 | undefined;
  if (provider?.specificationVersion !== 'v1') throw new Error(`${found.packageName}'s ${found.factory}() returned no v1 provider`);
  return provider;
}
