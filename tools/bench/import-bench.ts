/**
 * npm run bench:import [-- --json] [-- --runs N]
 *
 * What importing a package costs a host, measured the way a host pays it: a
 * fresh Node process per import (no module cache), `import()` of the built
 * package, wall time and resident-memory growth, median of N runs (default
 * 7), the packages interleaved run by run so drift hits them all alike.
 * Compared side by side: `@switchyard/core`, the AWS SDK's S3 client,
 * `@switchyard/aws` (which wraps it) and one HTTP provider
 * (`@switchyard/gitlab`). Then the bundled size of single names from core
 * (esbuild, minified, tree-shaken): what a host that imports only `createHub`
 * or `CircuitBreaker` ships.
 *
 * Goals (issue 13): core's cold import at most 1/5 of `@aws-sdk/client-s3`'s;
 * a provider package costing less to import than the SDK it wraps. With
 * `--json` it prints one object whose `coreOverClientS3` and
 * `awsProviderOverClientS3` are the cold import time ratios.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import { printTable } from './measure.ts';

const json = process.argv.includes('--json');
const runsArgument = process.argv.indexOf('--runs');
const RUNS = runsArgument === -1 ? 7 : Math.max(1, Number(process.argv[runsArgument + 1]));
const workspaceRoot = join(import.meta.dirname, '..', '..');

const PACKAGES = ['@switchyard/core', '@aws-sdk/client-s3', '@switchyard/aws', '@switchyard/gitlab'] as const;
type PackageName = (typeof PACKAGES)[number];

/** Runs in the child: the import's wall time and RSS growth, as one JSON line. */
const PROBE = `
const rssBefore = process.memoryUsage().rss;
const startedAt = performance.now();
await import(process.argv[1]);
const ms = performance.now() - startedAt;
console.log(JSON.stringify({ ms, rssMiB: (process.memoryUsage().rss - rssBefore) / 1048576 }));
`;

interface ImportCost {
  readonly ms: number;
  readonly rssMiB: number;
}

function importOnce(name: PackageName): ImportCost {
  const output = execFileSync(process.execPath, ['--input-type=module', '--eval', PROBE, name], {
    cwd: workspaceRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(output.trim().split('\n').at(-1)!) as ImportCost;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Minified, tree-shaken bytes of a bundle that imports `names` from core and uses them. */
async function bundledBytes(names: readonly string[]): Promise<number> {
  const result = await build({
    stdin: {
      contents: `import { ${names.join(', ')} } from '@switchyard/core';\nconsole.log(${names.join(', ')});\n`,
      resolveDir: workspaceRoot,
      loader: 'js',
    },
    bundle: true,
    minify: true,
    treeShaking: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles.reduce((total, file) => total + file.contents.byteLength, 0);
}

async function main(): Promise<void> {
  const samples = new Map<PackageName, ImportCost[]>(PACKAGES.map((name) => [name, []]));
  for (let run = 0; run < RUNS; run += 1) {
    const order = run % 2 === 0 ? PACKAGES : [...PACKAGES].reverse();
    for (const name of order) samples.get(name)!.push(importOnce(name));
  }
  const costs = Object.fromEntries(
    PACKAGES.map((name) => {
      const runs = samples.get(name)!;
      return [name, { ms: median(runs.map((cost) => cost.ms)), rssMiB: median(runs.map((cost) => cost.rssMiB)) }];
    }),
  ) as Record<PackageName, ImportCost>;
  const clientS3 = costs['@aws-sdk/client-s3'];
  const coreOverClientS3 = costs['@switchyard/core'].ms / clientS3.ms;
  const awsProviderOverClientS3 = costs['@switchyard/aws'].ms / clientS3.ms;
  const httpProviderOverClientS3 = costs['@switchyard/gitlab'].ms / clientS3.ms;
  const bundles = {
    createHub: await bundledBytes(['createHub']),
    CircuitBreaker: await bundledBytes(['CircuitBreaker']),
  };

  if (json) {
    console.log(
      JSON.stringify({
        node: process.version,
        runs: RUNS,
        imports: costs,
        coreOverClientS3,
        awsProviderOverClientS3,
        httpProviderOverClientS3,
        bundledBytes: bundles,
        goals: { coreOverClientS3: 0.2, awsProviderOverClientS3: 1 },
      }),
    );
    return;
  }
  console.log(`import benchmark: cold import() in a fresh process, median of ${RUNS} runs per package, ${process.version}\n`);
  printTable(
    ['package', 'import ms', 'RSS +MiB', '× client-s3 time'],
    PACKAGES.map((name) => [name, costs[name].ms.toFixed(1), costs[name].rssMiB.toFixed(1), (costs[name].ms / clientS3.ms).toFixed(2)]),
  );
  console.log('');
  printTable(
    ['core name bundled alone', 'minified KB'],
    Object.entries(bundles).map(([name, bytes]) => [name, (bytes / 1024).toFixed(0)]),
  );
  console.log(
    `\ncore / client-s3 cold import: ${coreOverClientS3.toFixed(2)} (goal <= 0.2: ${coreOverClientS3 <= 0.2 ? 'MET' : 'NOT met'})`,
  );
  console.log(
    `@switchyard/aws / client-s3 cold import: ${awsProviderOverClientS3.toFixed(2)} (goal < 1: ${awsProviderOverClientS3 < 1 ? 'MET' : 'NOT met'})`,
  );
}

await main();
