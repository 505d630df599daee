/**
 * Packs every publishable library under libs/ with `npm pack` and checks each
 * tarball the way a consumer would meet it:
 *   - publint --strict (package.json fields, exports, files present)
 *   - @arethetypeswrong/cli --profile esm-only (types resolve for node16 ESM and bundlers)
 *   - every path in `exports`, `main` and `types` is inside the tarball, and no
 *     sources, tests or configs leak into it.
 * Run after a build: `npm run check:packages` builds first.
 */
import { packPackages, type PackedPackage } from './lib/pack-packages.ts';
import { promisedPaths } from './lib/package-paths.ts';
import { runCommand } from './lib/run-command.ts';
import { makeTemporaryDirectory, removeTemporaryDirectory } from './lib/temporary-directory.ts';
import { listLibraryPackages, type PackageManifest } from './lib/workspace.ts';

const leaked = /(^src\/|\.test\.|__fixtures__|tsconfig|tsup\.config|vitest\.config)/;

async function checkPackage(directory: string, manifest: PackageManifest, packed: PackedPackage): Promise<string[]> {
  const problems: string[] = [];
  const { tarball, files } = packed;

  for (const path of promisedPaths(manifest)) {
    if (!files.has(path)) problems.push(`package.json points at ${path}, which is not in the tarball`);
  }
  for (const path of files) {
    if (leaked.test(path)) problems.push(`the tarball ships ${path}, which is not for consumers`);
  }
  for (const required of ['README.md', 'LICENSE', 'package.json']) {
    if (!files.has(required)) problems.push(`the tarball has no ${required}`);
  }

  const publint = await runCommand('publint', ['run', tarball, '--strict'], { cwd: directory });
  if (publint.status !== 0) problems.push(`publint:\n${publint.output.trim()}`);

  const attw = await runCommand('attw', [tarball, '--profile', 'esm-only', '--format', 'table', '--no-emoji'], {
    cwd: directory,
  });
  if (attw.status !== 0) problems.push(`@arethetypeswrong/cli:\n${attw.output.trim()}`);
  return problems;
}

async function main(): Promise<void> {
  const destination = makeTemporaryDirectory('switchyard-pack');
  let failed = 0;
  try {
    const packages = listLibraryPackages().filter((entry) => entry.manifest.private !== true);
    const tarballs = await packPackages(packages, destination);
    for (const { directory, relativeDirectory, manifest } of packages) {
      const problems = await checkPackage(directory, manifest, tarballs.get(manifest.name)!);
      if (problems.length === 0) {
        console.log(`ok    ${manifest.name} (${relativeDirectory})`);
      } else {
        failed += 1;
        console.log(`FAIL  ${manifest.name} (${relativeDirectory})`);
        for (const problem of problems) console.log(`      ${problem.replaceAll('\n', '\n      ')}`);
      }
    }
    console.log(`\n${packages.length - failed} passed, ${failed} failed`);
  } catch (error) {
    console.error(error);
    failed += 1;
  } finally {
    removeTemporaryDirectory(destination);
  }
  if (failed > 0) process.exitCode = 1;
}

await main();
