/**
 * Installs the packed packages the way a new user meets them, on the lowest
 * Node they declare, and loads every entry point:
 *
 *   1. `npm pack` every publishable library (as check-packages does);
 *   2. one `npm install` into a blank project of all the tarballs and of the
 *      npm `node` package at exactly the lowest `engines.node` (`>=22.19` →
 *      `node@22.19.0`), dependencies from the registry (or npm's cache);
 *   3. with that Node, in a fresh process each: `await import()` and
 *      `require()` of every `exports` entry (but `./package.json`), and
 *      `await import()` of every runtime dependency (the packages load some,
 *      such as undici and the cloud SDKs, only on first use, so importing a
 *      package alone would not show that one of them fails on this Node);
 *      each must succeed and print nothing to stderr (no ExperimentalWarning);
 *   4. the CLI's `switchyard quickstart`, which must print nothing to stderr;
 *   5. with the optional peers removed (`@switchyard/testing`), each
 *      `./testing` entry still loads and its start*() functions fail with
 *      what to install, not a bare ERR_MODULE_NOT_FOUND.
 *
 * Prints a table and exits 1 naming what failed. Run after a build:
 * `npm run check:tarballs`. `--node 22.12.0` tries another Node version.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packPackages } from './lib/pack-packages.ts';
import type { CommandResult } from './lib/run-command.ts';
import { installTarballProject, lowestDeclaredNode, type TarballProject } from './lib/tarball-project.ts';
import { makeTemporaryDirectory, removeTemporaryDirectory } from './lib/temporary-directory.ts';
import { listLibraryPackages, type WorkspacePackage } from './lib/workspace.ts';

/** Bins run as a user would run them first: the README's quickstart also loads node:sqlite. */
const BIN_RUNS = [{ packageName: '@switchyard/cli', bin: 'switchyard', arguments: ['quickstart'] }] as const;

interface Outcome {
  readonly ok: boolean;
  /** What went wrong, or on success what the probe printed (the install hints of step 5). */
  readonly detail: string;
}

interface Row {
  readonly subject: string;
  readonly checks: ReadonlyMap<string, Outcome>;
}

/** The first lines of a probe's output: enough to see the error, not a whole stack per entry point. */
function excerpt(text: string): string {
  const lines = text.trim().split('\n');
  return lines.length <= 12 ? lines.join('\n') : [...lines.slice(0, 12), `... (${lines.length - 12} more lines)`].join('\n');
}

/** Passed: exit code 0 and nothing on stderr. */
function judge(result: CommandResult): Outcome {
  if (result.status !== 0) {
    return { ok: false, detail: `exit code ${result.status}${result.timedOut ? ' (ran out of time)' : ''}:\n${excerpt(result.output)}` };
  }
  if (result.stderr.trim() !== '') return { ok: false, detail: `printed to stderr:\n${excerpt(result.stderr)}` };
  return { ok: true, detail: result.stdout.trim() };
}

async function inParallel<Item, Result>(items: readonly Item[], work: (item: Item) => Promise<Result>): Promise<Result[]> {
  const results: Result[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index]!);
  };
  await Promise.all(Array.from({ length: Math.max(2, availableParallelism()) }, worker));
  return results;
}

async function timed<Result>(label: string, work: () => Promise<Result>): Promise<Result> {
  const started = performance.now();
  const result = await work();
  console.log(`${label} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return result;
}

/** `@switchyard/core` and `@switchyard/core/testing` for `.` and `./testing`. */
function entrySpecifiers({ manifest }: WorkspacePackage): string[] {
  return Object.keys(manifest.exports ?? { '.': '' })
    .filter((entry) => entry !== './package.json')
    .map((entry) => `${manifest.name}${entry.slice(1)}`);
}

async function probeEntryPoints(project: TarballProject, packages: readonly WorkspacePackage[]): Promise<Row[]> {
  return inParallel(packages.flatMap(entrySpecifiers), async (specifier) => {
    const imported = await project.runNode(['probe-import.mjs', specifier]);
    const required = await project.runNode(['probe-require.cjs', specifier]);
    return {
      subject: specifier,
      checks: new Map([
        ['import', judge(imported)],
        ['require', judge(required)],
      ]),
    };
  });
}

function usedBy(names: readonly string[]): string {
  return names.length <= 2 ? names.join(', ') : `${names.length} packages`;
}

/**
 * The specifiers of `name` the built packages import (`from '…'` or
 * `import('…')`), such as `@modelcontextprotocol/sdk/server/index.js`: what
 * must load, which is not always the package's root (the MCP SDK's root
 * export names a file it does not ship). The root when no literal one is found.
 */
function importedSpecifiers(name: string, users: readonly WorkspacePackage[]): string[] {
  const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const pattern = new RegExp(`(?:from\\s*|import\\(\\s*)['"](${escaped}(?:/[^'"]*)?)['"]`, 'g');
  const found = new Set<string>();
  for (const { directory } of users) {
    const dist = join(directory, 'dist');
    if (!existsSync(dist)) continue;
    for (const file of readdirSync(dist).filter((entry) => entry.endsWith('.js'))) {
      for (const match of readFileSync(join(dist, file), 'utf8').matchAll(pattern)) found.add(match[1]!);
    }
  }
  return found.size === 0 ? [name] : [...found].sort();
}

/** Every third-party runtime dependency, as installed (hoisted) in the project, with the packages that use it: each specifier they import. */
async function probeDependencies(project: TarballProject, packages: readonly WorkspacePackage[]): Promise<Row[]> {
  const users = new Map<string, WorkspacePackage[]>();
  for (const entry of packages) {
    for (const name of Object.keys(entry.manifest.dependencies ?? {}).filter((name) => !name.startsWith('@switchyard/'))) {
      users.set(name, [...(users.get(name) ?? []), entry]);
    }
  }
  const probes = [...users.keys()]
    .sort()
    .flatMap((name) => importedSpecifiers(name, users.get(name)!).map((specifier) => ({ name, specifier })));
  return inParallel(probes, async ({ name, specifier }) => ({
    subject: `${specifier} (${usedBy(users.get(name)!.map((entry) => entry.manifest.name))})`,
    checks: new Map([['import', judge(await project.runNode(['probe-import.mjs', specifier]))]]),
  }));
}

async function runBins(project: TarballProject, packages: readonly WorkspacePackage[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const run of BIN_RUNS) {
    const bin = packages.find((entry) => entry.manifest.name === run.packageName)?.manifest.bin?.[run.bin];
    const subject = `${run.bin} ${run.arguments.join(' ')}`;
    const outcome =
      bin === undefined
        ? { ok: false, detail: `${run.packageName} has no bin "${run.bin}"` }
        : judge(await project.runNode([join('node_modules', run.packageName, bin), ...run.arguments]));
    rows.push({ subject, checks: new Map([['runs', { ok: outcome.ok, detail: outcome.ok ? '' : outcome.detail }]]) });
  }
  return rows;
}

/** Step 5: moves every installed optional peer out of node_modules, then probes the `./testing` entries. */
async function probeWithoutOptionalPeers(project: TarballProject, packages: readonly WorkspacePackage[]): Promise<Row[]> {
  const withPeers = packages.filter(
    ({ manifest }) =>
      manifest.exports?.['./testing'] !== undefined &&
      Object.values(manifest.peerDependenciesMeta ?? {}).some((meta) => meta.optional === true),
  );
  const hidden = join(project.directory, 'hidden-optional-peers');
  mkdirSync(hidden);
  for (const name of new Set(withPeers.flatMap(({ manifest }) => Object.keys(manifest.peerDependenciesMeta ?? {})))) {
    const installed = join(project.directory, 'node_modules', name);
    if (existsSync(installed)) renameSync(installed, join(hidden, name.replace('/', '__')));
  }
  return inParallel(withPeers, async ({ manifest }) => {
    const outcome = judge(await project.runNode(['probe-missing-peers.mjs', `${manifest.name}/testing`]));
    return { subject: `${manifest.name}/testing`, checks: new Map([['says what to install', outcome]]) };
  });
}

function printTable(title: string, rows: readonly Row[]): void {
  const columns = [...new Set(rows.flatMap((row) => [...row.checks.keys()]))];
  const width = Math.max(title.length, ...rows.map((row) => row.subject.length)) + 2;
  console.log(`\n${title.padEnd(width)}${columns.map((column) => column.padEnd(9)).join('')}`.trimEnd());
  for (const row of rows) {
    const cells = columns.map((column) => {
      const outcome = row.checks.get(column);
      return (outcome === undefined ? '-' : outcome.ok ? 'ok' : 'FAIL').padEnd(Math.max(9, column.length + 1));
    });
    console.log(`${row.subject.padEnd(width)}${cells.join('')}`.trimEnd());
    const hints = [...row.checks.values()].filter((outcome) => outcome.ok && outcome.detail !== '');
    for (const { detail } of hints) console.log(`  ${detail.replaceAll('\n', '\n  ')}`);
  }
}

function failures(rows: readonly Row[]): string[] {
  return rows.flatMap((row) =>
    [...row.checks].filter(([, outcome]) => !outcome.ok).map(([check, outcome]) => `${row.subject} (${check}): ${outcome.detail}`),
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  const { values } = parseArgs({ options: { node: { type: 'string' } } });
  const packages = listLibraryPackages().filter((entry) => entry.manifest.private !== true);
  const declared = lowestDeclaredNode(packages);
  const nodeVersion = values.node ?? declared.version;
  console.log(
    `Node ${nodeVersion}${values.node === undefined ? ', the lowest' : ' (from --node); lowest'} the packages declare: ${declared.range}`,
  );

  const directory = makeTemporaryDirectory('switchyard-tarballs');
  const rows: { title: string; rows: Row[] }[] = [];
  let unfinished = 0;
  try {
    const tarballDirectory = join(directory, 'tarballs');
    const projectDirectory = join(directory, 'project');
    mkdirSync(tarballDirectory);
    mkdirSync(projectDirectory);
    const tarballs = await timed(`packed ${packages.length} packages`, () => packPackages(packages, tarballDirectory));
    const project = await timed(`installed them and node@${nodeVersion} into a blank project`, () =>
      installTarballProject(projectDirectory, tarballs, nodeVersion),
    );
    rows.push({
      title: 'entry point',
      rows: await timed('imported and required every entry point', () => probeEntryPoints(project, packages)),
    });
    rows.push({
      title: 'runtime dependency (used by)',
      rows: await timed('imported every runtime dependency', () => probeDependencies(project, packages)),
    });
    rows.push({ title: 'bin', rows: await timed('ran the bins', () => runBins(project, packages)) });
    rows.push({
      title: 'without optional peers',
      rows: await timed('loaded the ./testing entries without their optional peers', () => probeWithoutOptionalPeers(project, packages)),
    });
  } catch (error) {
    // The step that broke is what counts; the clean-up below only warns.
    console.error(`\ntarball check could not finish: ${error instanceof Error ? error.message : String(error)}`);
    unfinished = 1;
    process.exitCode = 1;
  } finally {
    removeTemporaryDirectory(directory);
  }

  for (const table of rows) printTable(table.title, table.rows);
  const allRows = rows.flatMap((table) => table.rows);
  const failed = failures(allRows);
  const total = allRows.reduce((sum, row) => sum + row.checks.size, 0);
  if (failed.length > 0) {
    console.log(`\nFAILED on Node ${nodeVersion}:`);
    for (const failure of failed) console.log(`- ${failure.replaceAll('\n', '\n    ')}`);
    process.exitCode = 1;
  }
  console.log(`\ntook ${((performance.now() - started) / 1000).toFixed(0)} s`);
  console.log(`tarballs: ${total - failed.length} passed, ${failed.length + unfinished} failed`);
}

await main();
