import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/**
 * Runs in a fresh Node process: records every module URL resolved, imports
 * the built `@switchyard/http`, notes whether undici was among them, then
 * sends one request to a local server and notes it again.
 */
const PROBE = `
import { registerHooks } from 'node:module';
import { createServer } from 'node:http';

const resolved = [];
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    resolved.push(result.url);
    return result;
  },
});
const undiciLoaded = () => resolved.some((url) => url.includes('/node_modules/undici/'));

const http = await import('@switchyard/http');
const packageUrl = resolved[0];
const afterImport = undiciLoaded();

const server = createServer((request, response) => {
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify({ path: request.url }));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const client = http.createHttpClient({ baseURL: 'http://127.0.0.1:' + server.address().port, allowPrivateNetwork: true });
const response = await client.request({ path: '/ping' });
const afterRequest = undiciLoaded();
await http.closeDefaultPools();
server.close();
console.log(JSON.stringify({ packageUrl, afterImport, afterRequest, data: response.data }));
`;

describe('importing @switchyard/http', () => {
  it('does not load undici until the first request', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', PROBE], {
      cwd: join(import.meta.dirname, '..'),
      timeout: 60_000,
    });
    const probe = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      packageUrl: string;
      afterImport: boolean;
      afterRequest: boolean;
      data: unknown;
    };
    // The built package, as a host imports it (the test target builds it first).
    expect(probe.packageUrl).toMatch(/\/libs\/http\/dist\/index\.js$/);
    expect(probe.afterImport).toBe(false);
    expect(probe.data).toEqual({ path: '/ping' });
    expect(probe.afterRequest).toBe(true);
  }, 60_000);
});
