/**
 * Proves the provider generator cannot rot. In a throwaway copy of the
 * workspace it runs
 *
 *   npm run new-provider -- --name example --category code
 *   npm run new-provider -- --name acme --category crm
 *
 * then checks that `npm ci` still accepts the lockfile, that Prettier would
 * not change the new packages, builds, lints and
 * typechecks every project with no edits, tests the two new providers and
 * the workspace conventions, runs the package checks, checks the project
 * graph's tags, and finally makes one
 * provider import the other and expects lint to refuse it. The copy is
 * deleted afterwards, whatever happened.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { npmCommand, runCommand } from './lib/run-command.ts';
import { makeTemporaryDirectory, removeTemporaryDirectory } from './lib/temporary-directory.ts';
import { workspaceRoot } from './lib/workspace.ts';

const crossImportError = 'A project tagged with "type:provider" can only depend on libs tagged with "type:core", "type:util"';

function step(title: string): void {
  console.log(`\n== ${title}`);
}

function copyWorkspace(target: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: workspaceRoot,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file !== '');
  for (const file of files) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    cpSync(join(workspaceRoot, file), join(target, file));
  }
  // Hard links make the copy of node_modules cheap; its workspace links are relative, so they point into the copy.
  try {
    execFileSync('cp', ['-al', join(workspaceRoot, 'node_modules'), join(target, 'node_modules')]);
  } catch {
    execFileSync('cp', ['-a', join(workspaceRoot, 'node_modules'), join(target, 'node_modules')]);
  }
}

/**
 * Runs one step in the copy. Each step has runCommand's generous limit (30 minutes, times
 * SWITCHYARD_TIMEOUT_SCALE); one that runs out is killed with every process it started.
 */
async function run(root: string, command: string, commandArguments: string[], expectFailure = false): Promise<string> {
  console.log(`$ ${[command, ...commandArguments].join(' ')}`);
  const result = await runCommand(command, commandArguments, {
    cwd: root,
    root,
    env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
  });
  const failed = result.status !== 0;
  if (failed !== expectFailure) {
    console.log(result.output);
    const ranOut = result.timedOut ? ' (it ran out of time)' : '';
    throw new Error(
      expectFailure
        ? `expected "${command} ${commandArguments.join(' ')}" to fail, but it passed`
        : `"${command} ${commandArguments.join(' ')}" failed with exit code ${result.status}${ranOut}`,
    );
  }
  return result.output;
}

async function main(): Promise<void> {
  const root = makeTemporaryDirectory('switchyard-generator-check');
  const [npm, npmPrefix] = npmCommand();
  const nx = (...commandArguments: string[]): string[] => ['nx', ...commandArguments];
  try {
    step(`copying the workspace to ${root}`);
    copyWorkspace(root);

    step('generating two providers');
    await run(root, npm, [...npmPrefix, 'run', 'new-provider', '--', '--name', 'example', '--category', 'code']);
    await run(root, npm, [...npmPrefix, 'run', 'new-provider', '--', '--name', 'acme', '--category', 'crm']);

    step('the lockfile the generator updated still installs with npm ci');
    await run(root, npm, [...npmPrefix, 'ci', '--dry-run', '--no-audit', '--no-fund']);

    step('the generated packages are formatted as Prettier would write them');
    await run(root, 'npx', ['prettier', '--check', 'libs/code/example', 'libs/crm/acme']);

    step('build, lint and typecheck every project, with no edits');
    await run(root, 'npx', nx('run-many', '-t', 'build', 'lint', 'typecheck', '--output-style=static'));

    // The other projects' tests do not change with a new provider (npm test runs them); these do.
    step('test the generated providers and the workspace conventions');
    await run(root, 'npx', nx('run-many', '-t', 'test', '-p', '@switchyard/example', '@switchyard/acme', '--output-style=static'));
    await run(root, 'npx', ['vitest', 'run', '--root', 'tools', 'test/workspace-conventions.test.ts']);

    step('package checks');
    console.log((await run(root, 'node', ['tools/scripts/check-packages.ts'])).trim());

    step('project graph tags');
    await run(root, 'npx', nx('graph', '--file=graph.json'));
    const graph = JSON.parse(readFileSync(join(root, 'graph.json'), 'utf8')) as {
      graph: { nodes: Record<string, { data: { tags?: string[] } }> };
    };
    const expectedTags: Record<string, string[]> = {
      '@switchyard/core': ['type:core'],
      '@switchyard/testing': ['type:testing'],
      '@switchyard/example': ['type:provider', 'category:code'],
      '@switchyard/acme': ['type:provider', 'category:crm'],
    };
    for (const [project, tags] of Object.entries(expectedTags)) {
      const actual = graph.graph.nodes[project]?.data.tags ?? [];
      const missing = tags.filter((tag) => !actual.includes(tag));
      if (missing.length > 0) throw new Error(`${project} lacks tags ${missing.join(', ')} in the graph`);
      console.log(`${project}: ${tags.join(', ')}`);
    }

    step('a provider importing another provider fails lint');
    writeFileSync(
      join(root, 'libs/crm/acme/src/acme-cross-import.ts'),
      "import { createExample } from '@switchyard/example';\n\nexport const example = createExample();\n",
    );
    const lint = await run(root, 'npx', nx('run', '@switchyard/acme:lint', '--skip-nx-cache'), true);
    if (!lint.includes(crossImportError)) {
      console.log(lint);
      throw new Error('lint failed, but not with the module-boundary error');
    }
    console.log(`lint refused it: ${crossImportError}`);
    console.log('\ngenerator check: 1 passed, 0 failed');
  } catch (error) {
    // Reported before the clean-up, which only warns when it fails: this error is the one that counts.
    console.error(`\ngenerator check failed: ${error instanceof Error ? error.message : String(error)}`);
    console.log('\ngenerator check: 0 passed, 1 failed');
    process.exitCode = 1;
  } finally {
    removeTemporaryDirectory(root);
  }
}

await main();
