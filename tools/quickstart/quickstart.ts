/**
 * The quickstart: `npm ci && npm run quickstart`. Needs no external service.
 *
 * Finds the Switchyard provider packages installed next to @switchyard/core
 * (through the "switchyard" key in their package.json — no import side
 * effects), creates each one through its factory, validates its manifest with
 * core and prints what it found. It grows into the hub demo as the hub lands.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { validateProviderManifest, VERSION, type ProviderV1 } from '@switchyard/core';

interface ProviderPackage {
  readonly name: string;
  readonly version: string;
  readonly directory: string;
  readonly switchyard: { readonly provider: string; readonly factory: string; readonly category: string };
}

const scopeDirectory = join(import.meta.dirname, '..', '..', 'node_modules', '@switchyard');

function findProviderPackages(): ProviderPackage[] {
  return readdirSync(scopeDirectory)
    .map((entry) => join(scopeDirectory, entry))
    .map((directory) => ({
      directory,
      ...(JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as Omit<ProviderPackage, 'directory'>),
    }))
    .filter((manifest) => manifest.switchyard?.factory !== undefined)
    .sort((left, right) => left.name.localeCompare(right.name));
}

async function main(): Promise<void> {
  console.log(`Switchyard quickstart — @switchyard/core ${VERSION}, Node.js ${process.version}\n`);
  const packages = findProviderPackages();
  if (packages.length === 0) {
    console.log('No provider packages are installed yet.');
    console.log('Create one with: npm run new-provider -- --name acme --category communication');
    return;
  }
  console.log('provider packages found:');
  for (const entry of packages) {
    const module = (await import(pathToFileURL(join(entry.directory, 'dist', 'index.js')).href)) as Record<
      string,
      unknown
    >;
    const factory = module[entry.switchyard.factory];
    if (typeof factory !== 'function') {
      throw new Error(`${entry.name} declares factory ${entry.switchyard.factory}, but does not export it`);
    }
    const provider = (factory as () => ProviderV1)();
    const manifest = validateProviderManifest(provider.manifest);
    const capabilities =
      manifest.capabilities.length > 0
        ? manifest.capabilities.map((entry) => `${entry.name} v${entry.version} (${entry.operations.join(', ')})`).join('; ')
        : 'none yet';
    console.log(`  ${entry.name}@${entry.version}  ${manifest.name} (${manifest.category}); capabilities: ${capabilities}`);
  }
}

await main();
