import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/**
 * Runs in a fresh Node process: records every module URL resolved while it
 * imports the built `@switchyard/core`, then one capability contract's entry
 * point, and reports which heavy dependencies each step brought in.
 */
const PROBE = `
import { registerHooks } from 'node:module';

const resolved = [];
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    resolved.push(result.url);
    return result;
  },
});
const heavy = () => ['zod', 'bottleneck', 'p-retry'].filter((name) => resolved.some((url) => url.includes('/node_modules/' + name + '/')));

const core = await import('@switchyard/core');
const packageUrl = resolved[0];
const afterCore = heavy();
const hub = core.createHub();
const afterHub = heavy();
await import('@switchyard/core/storage');
const afterStorage = heavy();
await hub.close();
console.log(JSON.stringify({ packageUrl, afterCore, afterHub, afterStorage }));
`;

describe('importing @switchyard/core', () => {
  it('loads no zod, bottleneck or p-retry until a contract, a wait or a retry needs them', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', PROBE], {
      cwd: join(import.meta.dirname, '..'),
      timeout: 60_000,
    });
    const probe = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    // The built package, as a host imports it (the test target builds it first).
    expect(probe.packageUrl).toMatch(/\/libs\/core\/dist\/index\.js$/);
    expect(probe.afterCore).toEqual([]);
    expect(probe.afterHub).toEqual([]);
    // A contract is zod schemas: importing one is what loads zod.
    expect(probe.afterStorage).toEqual(['zod']);
  }, 60_000);
});
