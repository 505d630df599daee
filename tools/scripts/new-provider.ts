/**
 * Creates a provider package from tools/generators/provider/files:
 *
 *   npm run new-provider -- --name acme --category communication
 *       [--display-name "Acme"] [--base-url https://api.acme.com] [--docs-url https://docs.acme.com]
 *       [--skip-install]
 *
 * The result builds, lints, typechecks, tests and passes the package checks
 * with no hand edits; CI proves it (tools/scripts/check-generator.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateProvider, ProviderGeneratorError } from './lib/provider-generator.ts';
import { workspaceRoot } from './lib/workspace.ts';

const usage =
  'usage: npm run new-provider -- --name <id> --category <category> ' +
  '[--display-name <name>] [--base-url <url>] [--docs-url <url>] [--skip-install]';

function main(): void {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      category: { type: 'string' },
      'display-name': { type: 'string' },
      'base-url': { type: 'string' },
      'docs-url': { type: 'string' },
      'skip-install': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const created = generateProvider({
    root: workspaceRoot,
    id: values.name ?? '',
    category: values.category ?? '',
    displayName: values['display-name'],
    baseURL: values['base-url'],
    docsUrl: values['docs-url'],
  });
  console.log(`Created ${created.packageName} in ${created.relativeDirectory}:`);
  for (const file of created.files) console.log(`  ${file}`);
  if (!values['skip-install']) {
    // Links the new workspace package and records it in package-lock.json.
    const npm = process.env.npm_execpath;
    const [command, prefix] = npm !== undefined && existsSync(npm) ? [process.execPath, [npm]] : ['npm', []];
    execFileSync(command, [...prefix, 'install', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: workspaceRoot,
      stdio: 'inherit',
    });
  }
  console.log(`\nNext: npx nx run-many -t build,lint,typecheck,test -p ${created.packageName}`);
}

try {
  main();
} catch (error) {
  if (error instanceof ProviderGeneratorError || (error instanceof TypeError && 'code' in error)) {
    console.error(`new-provider: ${error.message}\n${usage}`);
    process.exit(2);
  }
  throw error;
}
