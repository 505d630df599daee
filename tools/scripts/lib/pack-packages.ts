import { join } from 'node:path';
import { npmCommand, runCommand } from './run-command.ts';
import { workspaceRoot, type WorkspacePackage } from './workspace.ts';

/** A tarball `npm pack` wrote, as a consumer would download it. */
export interface PackedPackage {
  /** The tarball's absolute path. */
  readonly tarball: string;
  /** The paths inside the tarball, relative to the package folder (`dist/index.js`). */
  readonly files: ReadonlySet<string>;
}

interface PackResult {
  readonly name: string;
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

/**
 * Packs workspace packages with one `npm pack --workspace ...` into
 * `destination` and returns each tarball by package name. Run after a build:
 * the tarballs hold whatever dist/ holds. Throws with npm's output when
 * packing fails.
 */
export async function packPackages(packages: readonly WorkspacePackage[], destination: string): Promise<Map<string, PackedPackage>> {
  const [npm, prefix] = npmCommand();
  const workspaces = packages.flatMap((entry) => ['--workspace', entry.relativeDirectory]);
  const pack = await runCommand(npm, [...prefix, 'pack', '--json', '--pack-destination', destination, ...workspaces], {
    cwd: workspaceRoot,
  });
  if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.output}`);
  const results = JSON.parse(pack.stdout) as PackResult[];
  const packed = new Map(
    results.map((result) => [
      result.name,
      { tarball: join(destination, result.filename), files: new Set(result.files.map((file) => file.path)) },
    ]),
  );
  const missing = packages.filter((entry) => !packed.has(entry.manifest.name));
  if (missing.length > 0) {
    throw new Error(`npm pack printed no result for ${missing.map((entry) => entry.manifest.name).join(', ')}`);
  }
  return packed;
}
