import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { npmCommand, runCommand, type CommandResult } from './run-command.ts';
import type { PackedPackage } from './pack-packages.ts';
import type { WorkspacePackage } from './workspace.ts';

/** A `>=22.19`-style engines range; the only form the check can read a lowest version from. */
const lowerBoundRange = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/;

/**
 * The lowest Node version the packages declare in `engines.node`, as an exact
 * version (`>=22.19` → `22.19.0`). All tarballs are installed together, so
 * they must declare the same lower bound; throws naming the packages when they
 * do not, or when a range is not of the form `>=X.Y[.Z]`.
 */
export function lowestDeclaredNode(packages: readonly WorkspacePackage[]): { readonly range: string; readonly version: string } {
  const byVersion = new Map<string, string[]>();
  const unreadable: string[] = [];
  for (const { manifest } of packages) {
    const range = manifest.engines?.node?.trim() ?? '';
    const match = lowerBoundRange.exec(range);
    if (match === null) {
      unreadable.push(`${manifest.name} ("${range}")`);
      continue;
    }
    const version = `${match[1]}.${match[2] ?? 0}.${match[3] ?? 0}`;
    byVersion.set(version, [...(byVersion.get(version) ?? []), `${manifest.name} ("${range}")`]);
  }
  if (unreadable.length > 0) {
    throw new Error(`engines.node must be ">=X.Y" or ">=X.Y.Z" so the check can tell the lowest Node: ${unreadable.join(', ')}`);
  }
  const [first, ...others] = [...byVersion.keys()];
  if (first === undefined) throw new Error('no package to check');
  if (others.length > 0) {
    const groups = [...byVersion].map(([version, names]) => `${version}: ${names.join(', ')}`);
    throw new Error(
      `the packages declare different lowest Node versions; they are installed together, so make them agree:\n${groups.join('\n')}`,
    );
  }
  return { range: `>=${first.replace(/\.0$/, '')}`, version: first };
}

/** Scripts written into the blank project; each runs in a fresh Node process, so its warnings are its own. */
const PROBE_FILES: Record<string, string> = {
  'probe-import.mjs': 'await import(process.argv[2]);\n',
  'probe-require.cjs': 'require(process.argv[2]);\n',
  // With a package's optional peers missing, its `./testing` entry loads, and each start*() says what to install.
  'probe-missing-peers.mjs': `import { createRequire } from 'node:module';
const specifier = process.argv[2];
const loaded = await import(specifier);
createRequire(import.meta.url)(specifier);
const starts = Object.entries(loaded).filter(([name, value]) => /^start[A-Z]/.test(name) && typeof value === 'function');
if (starts.length === 0) throw new Error(specifier + ' exports no start*() function to try');
const problems = [];
for (const [name, start] of starts) {
  try {
    const started = await start();
    await started?.stop?.();
    problems.push(name + '() started although the optional peers are not installed');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/npm install/.test(message)) console.log(name + '(): ' + message);
    else problems.push(name + '() failed without saying what to install: ' + message);
  }
}
if (problems.length > 0) {
  console.error(problems.join('\\n'));
  process.exitCode = 1;
}
`,
};

/** A blank npm project with the tarballs and the `node` package installed, and what it offers to probe them. */
export interface TarballProject {
  readonly directory: string;
  /** The Node binary of the `node` package installed into the project. */
  readonly node: string;
  /** Runs the project's Node on a probe file or script, in the project, with a clean environment. */
  runNode(commandArguments: readonly string[], timeoutMs?: number): Promise<CommandResult>;
}

/** Variables that would change what a fresh consumer process prints or finds. */
const CLEAN_ENVIRONMENT: NodeJS.ProcessEnv = {
  NODE_OPTIONS: undefined,
  NODE_NO_WARNINGS: undefined,
  NODE_PATH: undefined,
  SWITCHYARD_DATABASE_URL: undefined,
};

/**
 * Writes a blank project into `directory` that depends on every tarball and
 * on the npm `node` package at `nodeVersion` (a platform binary from the npm
 * registry; its install script, the only one allowed, fetches it), and
 * installs them with one `npm install`. Other dependencies come from the
 * registry, from npm's cache where it has them. Throws with npm's output
 * when the install fails or the Node it installed is not the one asked for.
 */
export async function installTarballProject(
  directory: string,
  tarballs: ReadonlyMap<string, PackedPackage>,
  nodeVersion: string,
): Promise<TarballProject> {
  const dependencies: Record<string, string> = { node: nodeVersion };
  for (const [name, packed] of tarballs) dependencies[name] = `file:${packed.tarball}`;
  const manifest = { name: 'switchyard-tarball-check', version: '0.0.0', private: true, dependencies, allowScripts: { node: true } };
  writeFileSync(join(directory, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const [file, text] of Object.entries(PROBE_FILES)) writeFileSync(join(directory, file), text);

  const [npm, prefix] = npmCommand();
  const install = await runCommand(
    npm,
    [...prefix, 'install', '--prefer-offline', '--no-audit', '--no-fund', '--package-lock=false', '--loglevel=error'],
    { cwd: directory },
  );
  if (install.status !== 0) throw new Error(`npm install of the tarballs failed:\n${install.output}`);

  const node = join(directory, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(node)) throw new Error(`npm installed node@${nodeVersion} without its binary (${node}):\n${install.output}`);
  const runNode = (commandArguments: readonly string[], timeoutMs = 5 * 60_000) =>
    runCommand(node, commandArguments, { cwd: directory, timeoutMs, env: CLEAN_ENVIRONMENT });
  const reported = (await runNode(['--version'])).stdout.trim();
  if (reported !== `v${nodeVersion}`) throw new Error(`the installed node package runs ${reported || 'nothing'}, not v${nodeVersion}`);
  return { directory, node, runNode };
}
