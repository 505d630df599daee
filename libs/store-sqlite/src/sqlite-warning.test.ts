import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
/**
 * The built entry, as a host imports it (after a build): Node prints the warning once per process,
 * and this test process loaded node:sqlite long ago, so a fresh process has to show it.
 */
const entry = join(import.meta.dirname, '..', 'dist', 'index.js');

describe('loading node:sqlite', () => {
  it('prints no ExperimentalWarning for SQLite, and leaves every other warning alone', async () => {
    expect(existsSync(entry), `build @switchyard/store-sqlite first (npx tsup): ${entry} is missing`).toBe(true);
    const script = `
      const { createSqliteStore } = await import(${JSON.stringify(pathToFileURL(entry).href)});
      const store = createSqliteStore({ path: ':memory:' });
      await store.integrations.create({ providerId: 'memory', name: 'Memory' });
      // Written as text: console.log would color a number when the environment forces color (FORCE_COLOR).
      process.stdout.write(String((await store.integrations.list()).length) + '\\n');
      await store.close();
      process.emitWarning('a warning of the host', 'ExperimentalWarning');
    `;
    const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '--eval', script], {
      env: { ...process.env, NODE_OPTIONS: undefined, NODE_NO_WARNINGS: undefined },
    });
    expect(stdout.trim()).toBe('1');
    expect(stderr).not.toMatch(/SQLite/);
    expect(stderr.split('\n').filter((line) => line.includes('Warning:'))).toEqual([
      expect.stringMatching(/ExperimentalWarning: a warning of the host$/),
    ]);
  }, 30_000);
});
