import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli';

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'switchyard-worker-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

async function cli(env: Record<string, string>, ...argv: string[]) {
  let stderr = '';
  const code = await runCli(argv, {
    cwd: directory,
    cliDirectory: directory,
    env,
    stdout: { write: () => true },
    stderr: { write: (chunk: string) => (stderr += chunk) },
  });
  return { code, stderr };
}

describe('switchyard worker', () => {
  it('fails with a network error naming the broker without its password when the broker is unreachable', async () => {
    const result = await cli({}, 'worker', '--demo', '--url', 'amqp://guest:planted-secret-4711@127.0.0.1:1');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error \[network\]: Cannot connect to the AMQP broker at amqp:\/\/127\.0\.0\.1:1\b/m);
    expect(result.stderr).not.toContain('planted-secret-4711');
  });

  it('takes the broker from SWITCHYARD_AMQP_URL when --url is absent', async () => {
    const result = await cli({ SWITCHYARD_AMQP_URL: 'amqp://127.0.0.1:2' }, 'worker');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Cannot connect to the AMQP broker at amqp://127.0.0.1:2');
  });
});
