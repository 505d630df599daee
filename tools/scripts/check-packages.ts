/**
 * Packs every publishable library under libs/ with `npm pack` and checks each
 * tarball the way a consumer would meet it:
 *   - publint --strict (package.json fields, exports, files present)
 *   - @arethetypeswrong/cli --profile esm-only (types resolve for node16 ESM and bundlers)
 *   - every path in `exports`, `main` and `types` is inside the tarball, and no
 *     sources, tests or configs leak into it.
 * Run after a build: `npm run check:packages` builds first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npmCommand, runCommand } from './lib/run-command.ts';
import { promisedPaths } from './lib/package-paths.ts';
import { listLibraryPackages, type PackageManifest } from './lib/workspace.ts';

interface PackResult {
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

const leaked = /(^src\/|\.test\.|__fixtures__|tsconfig|tsup\.config|vitest\.config)/;

function checkPackage(directory: string, manifest: PackageManifest, destination: string): string[] {
  const problems: string[] = [];
  const [npm, prefix] = npmCommand();
  const pack = runCommand(npm, [...prefix, 'pack', '--json', '--pack-destination', destination], {
    cwd: directory,
  });
  if (pack.status !== 0) return [`npm pack failed:\n${pack.output}`];
  const [result] = JSON.parse(pack.stdout) as PackResult[];
  if (result === undefined) return ['npm pack printed no result'];
  const tarball = join(destination, result.filename);
  const packed = new Set(result.files.map((file) => file.path));

  for (const path of promisedPaths(manifest)) {
    if (!packed.has(path)) problems.push(`package.json points at ${path}, which is not in the tarball`);
  }
  for (const path of packed) {
    if (leaked.test(path)) problems.push(`the tarball ships ${path}, which is not for consumers`);
  }
  for (const required of ['README.md', 'LICENSE', 'package.json']) {
    if (!packed.has(required)) problems.push(`the tarball has no ${required}`);
  }

  const publint = runCommand('publint', ['run', tarball, '--strict'], { cwd: directory });
  if (publint.status !== 0) problems.push(`publint:\n${publint.output.trim()}`);

  const attw = runCommand('attw', [tarball, '--profile', 'esm-only', '--format', 'table', '--no-emoji'], {
    cwd: directory,
  });
  if (attw.status !== 0) problems.push(`@arethetypeswrong/cli:\n${attw.output.trim()}`);
  return problems;
}

function main(): void {
  const destination = mkdtempSync(join(tmpdir(), 'switchyard-pack-'));
  let failed = 0;
  try {
    const packages = listLibraryPackages().filter((entry) => entry.manifest.private !== true);
    for (const { directory, relativeDirectory, manifest } of packages) {
      const problems = checkPackage(directory, manifest, destination);
      if (problems.length === 0) {
        console.log(`ok    ${manifest.name} (${relativeDirectory})`);
      } else {
        failed += 1;
        console.log(`FAIL  ${manifest.name} (${relativeDirectory})`);
        for (const problem of problems) console.log(`      ${problem.replaceAll('\n', '\n      ')}`);
      }
    }
    console.log(`\n${packages.length - failed} passed, ${failed} failed`);
  } finally {
    rmSync(destination, { recursive: true, force: true });
  }
  if (failed > 0) process.exit(1);
}

main();
