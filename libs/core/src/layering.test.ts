/**
 * The layers inside core, checked mechanically (docs/architecture.md, "Inside
 * core"). Every folder of `src/` has a place in {@link CORE_LAYERS}; a file may
 * import its own folder and any folder in a lower tier, nothing else. Type
 * imports count: a type-only cycle still makes two folders one concept.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Core's layers, lowest first. Folders in one tier are peers: they may not
 * import each other. `.` is `src/` itself (index.ts, the public surface, and
 * version.ts); `testing` builds on the public surface, so it sits on top.
 */
const CORE_LAYERS: readonly (readonly string[])[] = [
  ['utils'],
  ['errors'],
  ['capabilities', 'events', 'resilience', 'network'],
  ['provider', 'credentials'],
  ['registry', 'webhooks'],
  ['router'],
  ['placement'],
  ['tools'],
  ['hub'],
  ['.'],
  ['testing'],
];

/** A source file, by its path relative to `src/` with forward slashes. */
interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/**
 * Tests and the fixtures only tests import (`test-fixtures.ts`, `__fixtures__/`,
 * `__peers__/`) are not checked: they may build a hub to test the router. A
 * checked file importing one of them is itself a finding.
 */
function isTestSupport(path: string): boolean {
  const segments = path.split('/');
  return (
    path.endsWith('.test.ts') ||
    segments.at(-1) === 'test-fixtures.ts' ||
    segments.includes('__fixtures__') ||
    segments.includes('__peers__')
  );
}

function folderOf(path: string): string {
  const slash = path.indexOf('/');
  return slash === -1 ? '.' : path.slice(0, slash);
}

function tierOf(layers: readonly (readonly string[])[], folder: string): number | undefined {
  const tier = layers.findIndex((peers) => peers.includes(folder));
  return tier === -1 ? undefined : tier;
}

/** The file a relative specifier names, the way the bundler resolution finds it; undefined when none does. */
function resolveImport(from: string, specifier: string, known: ReadonlySet<string>): string | undefined {
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  const candidates = [base, `${base}.ts`, base.replace(/\.js$/, '.ts'), `${base}/index.ts`];
  return candidates.find((candidate) => known.has(candidate));
}

/** Every import of `file` that goes into a folder it may not import, as `path:line imports 'specifier' (...)`. */
function layeringFindings(files: readonly SourceFile[], layers: readonly (readonly string[])[] = CORE_LAYERS): string[] {
  const known = new Set(files.map((file) => file.path));
  const findings: string[] = [];
  for (const file of files) {
    if (isTestSupport(file.path)) continue;
    const folder = folderOf(file.path);
    const tier = tierOf(layers, folder);
    if (tier === undefined) {
      findings.push(`${file.path}: folder '${folder}' has no place in the layer order`);
      continue;
    }
    for (const reference of ts.preProcessFile(file.text, true, true).importedFiles) {
      const specifier = reference.fileName;
      if (!specifier.startsWith('.')) continue;
      const line = file.text.slice(0, reference.pos).split('\n').length;
      const where = `${file.path}:${line} imports '${specifier}'`;
      const target = resolveImport(file.path, specifier, known);
      if (target === undefined) {
        findings.push(`${where}, which is no file under src/`);
        continue;
      }
      if (isTestSupport(target)) {
        findings.push(`${where}, which only tests may import`);
        continue;
      }
      const targetFolder = folderOf(target);
      if (targetFolder === folder) continue;
      const targetTier = tierOf(layers, targetFolder);
      if (targetTier === undefined) {
        findings.push(`${where}: folder '${targetFolder}' has no place in the layer order`);
      } else if (targetTier === tier) {
        findings.push(`${where}: '${folder}' and '${targetFolder}' are peers and may not import each other`);
      } else if (targetTier > tier) {
        findings.push(`${where}: '${targetFolder}' sits above '${folder}'`);
      }
    }
  }
  return findings;
}

function readSources(directory: string): SourceFile[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .map((path) => ({ path: relative(directory, path).split(sep).join('/'), text: readFileSync(path, 'utf8') }))
    .sort((left, right) => left.path.localeCompare(right.path));
}

describe("core's layers", () => {
  const sources = readSources(import.meta.dirname);

  it('has no folder importing a folder at or above its own tier', () => {
    expect(layeringFindings(sources)).toEqual([]);
  });

  it('places every folder of src/ exactly once, and each placed folder exists', () => {
    const placed = CORE_LAYERS.flat();
    const checked = new Set(sources.filter((file) => !isTestSupport(file.path)).map((file) => folderOf(file.path)));
    expect(new Set(placed).size).toBe(placed.length);
    expect([...checked].sort()).toEqual([...placed].sort());
  });
});

describe('the layering check', () => {
  const hubOptions = { path: 'hub/hub-options.ts', text: 'export interface HubOptions {}\n' };

  it('names the file, line and import of a backwards type import', () => {
    const router = { path: 'router/router.ts', text: "import type { HubOptions } from '../hub/hub-options';\n" };
    expect(layeringFindings([router, hubOptions])).toEqual(["router/router.ts:1 imports '../hub/hub-options': 'hub' sits above 'router'"]);
  });

  it('finds re-exports spread over lines and type-position imports', () => {
    const text =
      "// the store\nexport type {\n  HubOptions,\n} from '../hub/hub-options';\nexport type Late = import('../hub/hub-options').HubOptions;\n";
    expect(layeringFindings([{ path: 'events/bus.ts', text }, hubOptions])).toEqual([
      "events/bus.ts:4 imports '../hub/hub-options': 'hub' sits above 'events'",
      "events/bus.ts:5 imports '../hub/hub-options': 'hub' sits above 'events'",
    ]);
  });

  it('lets a folder import itself and lower tiers, and ignores packages and tests', () => {
    const router = {
      path: 'router/router.ts',
      text: "import { z } from 'zod';\nimport { Ranking } from './ranking';\nimport type { Logger } from '../utils/logger';\n",
    };
    const files = [
      router,
      { path: 'router/ranking.ts', text: '' },
      { path: 'utils/logger.ts', text: '' },
      { path: 'utils/logger.test.ts', text: "import { createHub } from '../hub/hub-options';\n" },
      hubOptions,
    ];
    expect(layeringFindings(files)).toEqual([]);
  });

  it('refuses imports between peers, into test fixtures, to missing files and from unplaced folders', () => {
    const files = [
      { path: 'events/bus.ts', text: "import { storageV1 } from '../capabilities/storage';\n" },
      { path: 'capabilities/storage.ts', text: '' },
      { path: 'router/router.ts', text: "import { testHub } from './test-fixtures';\nimport { gone } from './gone';\n" },
      { path: 'router/test-fixtures.ts', text: '' },
      { path: 'plugins/plugin.ts', text: "import type { Logger } from '../utils/logger';\n" },
    ];
    expect(layeringFindings(files)).toEqual([
      "events/bus.ts:1 imports '../capabilities/storage': 'events' and 'capabilities' are peers and may not import each other",
      "router/router.ts:1 imports './test-fixtures', which only tests may import",
      "router/router.ts:2 imports './gone', which is no file under src/",
      "plugins/plugin.ts: folder 'plugins' has no place in the layer order",
    ]);
  });
});
