import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository root (this file lives in tools/scripts/lib). */
export const workspaceRoot: string = join(import.meta.dirname, '..', '..', '..');

/** The fields of a package.json the workspace tooling reads. */
export interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly type?: string;
  readonly sideEffects?: boolean;
  readonly engines?: Record<string, string>;
  readonly main?: string;
  readonly types?: string;
  readonly bin?: Record<string, string>;
  readonly exports?: Record<string, string | Record<string, string>>;
  readonly files?: string[];
  readonly license?: string;
  readonly repository?: { readonly directory?: string };
  readonly publishConfig?: { readonly access?: string };
  readonly scripts?: Record<string, string>;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { readonly optional?: boolean }>;
  readonly switchyard?: { readonly provider?: string; readonly factory?: string; readonly category?: string };
  readonly nx?: { readonly tags?: string[] };
}

/** A package of the workspace: its folder (absolute and relative to the root) and manifest. */
export interface WorkspacePackage {
  readonly directory: string;
  readonly relativeDirectory: string;
  readonly manifest: PackageManifest;
}

export function readPackageManifest(directory: string): PackageManifest {
  return JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as PackageManifest;
}

/**
 * Every package under libs/: `libs/<name>` and `libs/<category>/<name>`, the
 * two depths the layout allows. Sorted by folder.
 */
export function listLibraryPackages(root: string = workspaceRoot): WorkspacePackage[] {
  const packages: WorkspacePackage[] = [];
  const visit = (directory: string, depth: number): void => {
    if (existsSync(join(directory, 'package.json'))) {
      packages.push({
        directory,
        relativeDirectory: relative(root, directory),
        manifest: readPackageManifest(directory),
      });
      return;
    }
    if (depth === 2) return;
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'node_modules') {
        visit(join(directory, entry.name), depth + 1);
      }
    }
  };
  visit(join(root, 'libs'), 0);
  return packages.sort((left, right) => left.relativeDirectory.localeCompare(right.relativeDirectory));
}

/** Library packages tagged `type:provider`. */
export function listProviderPackages(root: string = workspaceRoot): WorkspacePackage[] {
  return listLibraryPackages(root).filter((entry) => entry.manifest.nx?.tags?.includes('type:provider'));
}
