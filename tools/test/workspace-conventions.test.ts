/**
 * The workspace conventions that matter, checked mechanically (STYLE.md, rule
 * 11). Runs after every library is built (tools depends on all of libs/), so
 * it also checks the built output against each package.json.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROVIDER_CATEGORIES as coreCategories } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { listLibraryPackages, workspaceRoot, type WorkspacePackage } from '../scripts/lib/workspace.ts';
import { promisedPaths } from '../scripts/lib/package-paths.ts';

// The root's project list, read at run time (it is not a package, so not imported statically).
const { default: vitestProjects } = (await import(pathToFileURL(join(workspaceRoot, 'vitest.workspace.ts')).href)) as { default: string[] };

/**
 * Layers, lowest first (docs/architecture.md, "Packages"): core; the provider
 * kit (util); the platform around the hub and the stores on it; the test kit;
 * providers; surfaces for agents and services (MCP, later the server and the
 * bus worker); hosts. A package's runtime dependencies sit in lower layers (or
 * its own, for util and platform); a provider depends on core and the kit only.
 */
const LAYER_TAGS = ['type:core', 'type:util', 'type:platform', 'type:testing', 'type:provider', 'type:surface', 'type:host'];
const ALLOWED_DEPENDENCY_LAYERS: Record<string, readonly string[]> = {
  'type:core': [],
  'type:util': ['type:core', 'type:util'],
  'type:platform': ['type:core', 'type:util', 'type:platform'],
  'type:testing': ['type:core', 'type:util', 'type:platform'],
  'type:provider': ['type:core', 'type:util'],
  'type:surface': ['type:core', 'type:util', 'type:platform'],
  'type:host': ['type:core', 'type:util', 'type:platform', 'type:provider', 'type:surface'],
};
const libraries = listLibraryPackages();
const providers = libraries.filter((entry) => entry.manifest.nx?.tags?.includes('type:provider'));
const byName = new Map(libraries.map((entry) => [entry.manifest.name, entry]));

function pascalCase(id: string): string {
  return id
    .split('-')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]+');
  return new RegExp(`^${escaped}$`);
}

async function importBuilt(entry: WorkspacePackage): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(join(entry.directory, 'dist', 'index.js')).href)) as Record<string, unknown>;
}

/** A provider's factory file reads in one screen: settings resolved, parts handed to `defineProvider`. */
const MAXIMUM_FACTORY_LINES = 80;
describe('the workspace', () => {
  it('has the core and testing packages', () => {
    expect(byName.get('@switchyard/core')?.relativeDirectory).toBe('libs/core');
    expect(byName.get('@switchyard/testing')?.relativeDirectory).toBe('libs/testing');
  });

  it('lists every project in vitest.workspace.ts', () => {
    const patterns = vitestProjects.map(globToRegExp);
    const projects = [...libraries.map((entry) => entry.relativeDirectory), 'tools'];
    for (const project of projects) {
      const config = `${project}/vitest.config.ts`;
      expect(existsSync(join(workspaceRoot, config)), `${config} exists`).toBe(true);
      expect(
        patterns.some((pattern) => pattern.test(config)),
        `${config} is listed`,
      ).toBe(true);
    }
  });

  it('uses one version for nx and every @nx/* package', () => {
    const root = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const nxVersions = Object.entries(root.devDependencies)
      .filter(([name]) => name === 'nx' || name.startsWith('@nx/'))
      .map(([, version]) => version);
    expect(nxVersions.length).toBeGreaterThan(1);
    expect(new Set(nxVersions).size).toBe(1);
  });

  it('has no package.json or project.json below a library’s root (Nx and npm workspaces would take the folder for a project)', () => {
    const libraryRoots = new Set(listLibraryPackages().map((entry) => entry.relativeDirectory));
    const stray: string[] = [];
    // A walk rather than git: the generator check runs this in a copy that is not a repository.
    const walk = (directory: string): void => {
      for (const entry of readdirSync(join(workspaceRoot, directory), { withFileTypes: true })) {
        const path = join(directory, entry.name);
        if (entry.isDirectory() && !['node_modules', 'dist', 'coverage', '.nx', 'tmp'].includes(entry.name)) walk(path);
        else if (entry.isFile() && /^(package|project)\.json$/.test(entry.name) && !libraryRoots.has(directory)) stray.push(path);
      }
    };
    walk('libs');
    expect(stray, 'rename fixtures such as project.json, e.g. to single-project.json').toEqual([]);
  });
});

describe.each(libraries.map((entry) => [entry.manifest.name, entry] as const))('%s', (_name, entry) => {
  const { manifest, directory, relativeDirectory } = entry;

  it('is named after its folder and publishable', () => {
    expect(manifest.name).toBe(`@switchyard/${basename(directory)}`);
    expect(manifest.private).not.toBe(true);
    expect(manifest.type).toBe('module');
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.engines?.node).toBe('>=22.19');
    expect(manifest.license).toBe('MIT');
    expect(manifest.publishConfig?.access).toBe('public');
    expect(manifest.repository?.directory).toBe(relativeDirectory);
    expect(manifest.files).toEqual(expect.arrayContaining(['dist', 'README.md', 'LICENSE']));
  });

  it('has exactly one layer tag', () => {
    const layers = (manifest.nx?.tags ?? []).filter((tag) => LAYER_TAGS.includes(tag));
    expect(layers).toHaveLength(1);
  });

  it('exports `.` first and `./package.json` last, each entry point as its types, then its ESM build', () => {
    const exportsMap = manifest.exports ?? {};
    const keys = Object.keys(exportsMap);
    expect(keys[0]).toBe('.');
    expect(keys.at(-1)).toBe('./package.json');
    expect(exportsMap['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    for (const key of keys.slice(1, -1)) {
      const target = exportsMap[key] as Record<string, string>;
      expect(Object.keys(target), key).toEqual(['types', 'default']);
      expect(target.default, key).toMatch(/^\.\/dist\/[a-z/-]+\.js$/);
      expect(target.types, key).toBe(target.default!.replace(/\.js$/, '.d.ts'));
    }
  });

  it('declares build, test, typecheck and lint so Nx infers its targets', () => {
    expect(Object.keys(manifest.scripts ?? {})).toEqual(expect.arrayContaining(['build', 'test', 'typecheck', 'lint']));
    for (const file of ['tsup.config.ts', 'vitest.config.ts', 'tsconfig.json', 'README.md', 'LICENSE', 'src/index.ts']) {
      expect(existsSync(join(directory, file)), `${relativeDirectory}/${file}`).toBe(true);
    }
  });

  it('has built every file its package.json points at', () => {
    for (const path of promisedPaths(manifest)) {
      expect(existsSync(join(directory, path)), `${relativeDirectory}/${path} (run the build)`).toBe(true);
    }
  });

  it('exports VERSION equal to its package.json version, injected at build time', async () => {
    const built = await importBuilt(entry);
    expect(built.VERSION).toBe(manifest.version);
  });

  it('depends only on packages of the layers below it', () => {
    const layer = (manifest.nx?.tags ?? []).find((tag) => LAYER_TAGS.includes(tag)) ?? '(none)';
    // An optional peer serves only the package's `./testing` entry (e.g. `@switchyard/testing`), never its main one.
    const optionalPeers = Object.entries(manifest.peerDependenciesMeta ?? {}).filter(([, meta]) => meta.optional === true);
    const requiredPeers = Object.keys(manifest.peerDependencies ?? {}).filter((name) => !optionalPeers.some(([peer]) => peer === name));
    const dependencies = [...Object.keys(manifest.dependencies ?? {}), ...requiredPeers];
    for (const dependency of dependencies.filter((name) => name.startsWith('@switchyard/'))) {
      const dependencyLayer = (byName.get(dependency)?.manifest.nx?.tags ?? []).find((tag) => LAYER_TAGS.includes(tag));
      expect(ALLOWED_DEPENDENCY_LAYERS[layer], `${manifest.name} (${layer}) depends on ${dependency} (${dependencyLayer})`).toContain(
        dependencyLayer,
      );
    }
  });
});

describe.runIf(providers.length > 0).each(providers.map((entry) => [entry.manifest.name, entry] as const))(
  'provider %s',
  (_name, entry) => {
    const { manifest, directory, relativeDirectory } = entry;
    const id = basename(directory);
    const category = basename(dirname(directory));
    const factory = `create${pascalCase(id)}`;

    it('lives in libs/<category>/<id> and is tagged with its category', () => {
      expect(coreCategories).toContain(category);
      expect(relativeDirectory).toBe(`libs/${category}/${id}`);
      expect(manifest.nx?.tags).toEqual(expect.arrayContaining(['type:provider', `category:${category}`]));
      expect(manifest.switchyard).toEqual({ provider: id, factory, category });
    });

    it(`has src/${id}-provider.ts with ${factory}(settings), and its settings type there or in src/${id}-settings.ts`, () => {
      const source = readFileSync(join(directory, 'src', `${id}-provider.ts`), 'utf8');
      expect(source).toMatch(new RegExp(`export function ${factory}\\(settings`));
      const settingsFile = join(directory, 'src', `${id}-settings.ts`);
      const settingsSource = existsSync(settingsFile) ? readFileSync(settingsFile, 'utf8') : '';
      expect(`${source}\n${settingsSource}`).toMatch(new RegExp(`export interface ${pascalCase(id)}ProviderSettings`));
    });

    it(`exports ${factory} and VERSION, and the factory returns its provider`, async () => {
      const built = await importBuilt(entry);
      expect(Object.keys(built)).toEqual(expect.arrayContaining([factory, 'VERSION']));
      const create = built[factory] as () => { manifest: { id: string; category: string } };
      expect(create().manifest).toMatchObject({ id, category });
    });

    it('documents its settings in a README table', () => {
      const readme = readFileSync(join(directory, 'README.md'), 'utf8');
      expect(readme).toMatch(/^## Settings\s*\n\s*\n\| setting \|/m);
    });

    it('runs a contract suite from @switchyard/testing', () => {
      const contractTests = sourceFiles(join(directory, 'src')).filter((file) => {
        if (!file.endsWith('.test.ts')) return false;
        const text = readFileSync(file, 'utf8');
        return text.includes("from '@switchyard/testing'") && /\btest\w*Provider\(/.test(text);
      });
      expect(contractTests.length, 'a *.test.ts calling test<Capability>Provider(...)').toBeGreaterThan(0);
      expect(manifest.devDependencies).toHaveProperty('@switchyard/testing');
    });

    it('runs the shared fault suite from @switchyard/testing', () => {
      const faultTests = sourceFiles(join(directory, 'src')).filter(
        (file) => file.endsWith('.test.ts') && readFileSync(file, 'utf8').includes('testProviderFaults('),
      );
      expect(faultTests.length, 'a *.test.ts calling testProviderFaults(...)').toBeGreaterThan(0);
    });

    it(`builds its provider with defineProvider, in a factory file that reads in one screen (at most ${MAXIMUM_FACTORY_LINES} lines)`, () => {
      const source = readFileSync(join(directory, 'src', `${id}-provider.ts`), 'utf8');
      expect(source).toContain('defineProvider(');
      expect(source.split('\n').length).toBeLessThanOrEqual(MAXIMUM_FACTORY_LINES);
    });
  },
);
