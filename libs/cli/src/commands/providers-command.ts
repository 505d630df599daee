import type { Command } from '../cli-command';
import { writeJson, writeLine, writeTable } from '../cli-io';
import { discoverProviderPackages } from '../provider-discovery';

/** `switchyard providers [--json]`: the installed provider packages, found without importing them. */
export const providersCommand: Command = ({ io, flags }) => {
  const found = discoverProviderPackages(io.cwd, io.cliDirectory);
  if (flags.json) {
    writeJson(
      io.stdout,
      found.map((entry) => ({
        providerId: entry.providerId,
        packageName: entry.packageName,
        version: entry.version,
        factory: entry.factory,
        category: entry.category,
      })),
    );
    return Promise.resolve(0);
  }
  if (found.length === 0) {
    writeLine(io.stdout, 'No provider packages installed (a provider package has a "switchyard" key in its package.json).');
    return Promise.resolve(0);
  }
  writeTable(
    io.stdout,
    ['PROVIDER', 'PACKAGE', 'VERSION', 'FACTORY', 'CATEGORY'],
    found.map((entry) => [entry.providerId, entry.packageName, entry.version, entry.factory, entry.category || '-']),
  );
  return Promise.resolve(0);
};
