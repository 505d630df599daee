import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installFakeProviderPackages } from './__fixtures__/fake-provider-packages';
import { runCli } from './run-cli';

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'switchyard-cli-'));
  installFakeProviderPackages(directory);
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    cwd: directory,
    // Only the provider packages this test installed, not the ones next to the CLI in the workspace.
    cliDirectory: directory,
    env: {},
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
  });
  return { code, stdout, stderr };
}

const putInput = JSON.stringify({ bucket: 'reports', key: 'q3.csv', body: 'revenue,42' });

describe('switchyard providers', () => {
  it('lists installed provider packages from their package.json, without importing them', async () => {
    const table = await cli('providers');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^PROVIDER\s+PACKAGE\s+VERSION\s+FACTORY\s+CATEGORY$/m);
    expect(table.stdout).toMatch(/^echo\s+acme-echo\s+1\.2\.3\s+createEcho\s+cloud$/m);
    const json = await cli('providers', '--json');
    // Only the fake packages this test installed: a workspace may have other provider packages installed too.
    const listed = (JSON.parse(json.stdout) as { providerId: string }[]).filter((entry) => ['echo', 'flaky'].includes(entry.providerId));
    expect(listed).toEqual([
      { providerId: 'echo', packageName: 'acme-echo', version: '1.2.3', factory: 'createEcho', category: 'cloud' },
      { providerId: 'flaky', packageName: '@acme/switchyard-flaky', version: '1.2.3', factory: 'createFlaky', category: 'cloud' },
    ]);
  });
});

describe('switchyard call', () => {
  it('prints the ranking, the failed attempts, the provider that served and the result', async () => {
    const { code, stdout, stderr } = await cli('call', 'storage.putObject', '--input', putInput, '--prefer', 'flaky');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Routing storage\.putObject \(strategy weighted-sum\):/);
    expect(stdout).toMatch(/^1\s+flaky\s+\S+\s+closed\s+preferred$/m);
    expect(stdout).toMatch(/^2\s+echo\s+/m);
    expect(stdout).toMatch(/Failed attempts:\n {2}flaky #1: network: connect ECONNREFUSED/);
    expect(stdout).toMatch(/Served by echo\nResult:\n\{\n {2}"bucket": "reports",\n {2}"key": "q3.csv",\n {2}"etag": "echo-etag"/);
  });

  it('prints the same decision as JSON', async () => {
    const { code, stdout } = await cli('call', 'storage.putObject', '--input', putInput, '--prefer', 'flaky', '--json');
    expect(code).toBe(0);
    const output = JSON.parse(stdout) as {
      ranking: { provider: string; rank: number }[];
      provider: string;
      failedAttempts: { provider: string; kind: string }[];
      result: unknown;
    };
    expect(output.ranking.map((candidate) => [candidate.provider, candidate.rank])).toEqual([
      ['flaky', 1],
      ['echo', 2],
    ]);
    expect(output.provider).toBe('echo');
    expect(output.failedAttempts[0]).toMatchObject({ provider: 'flaky', kind: 'network' });
    expect(output.result).toEqual({ bucket: 'reports', key: 'q3.csv', etag: 'echo-etag', size: 10 });
  });

  it('routes to the in-memory demo providers with --demo', async () => {
    const { code, stdout } = await cli('call', 'storage.putObject', '--input', putInput, '--prefer', 'memory-backup', '--demo');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Served by memory-backup/);
  });

  it('fails with exit 1 and lists every attempt when no provider can serve', async () => {
    rmSync(join(directory, 'node_modules', 'acme-echo'), { recursive: true });
    const { code, stdout, stderr } = await cli('call', 'storage.putObject', '--input', putInput);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^1\s+flaky\s+/m);
    expect(stdout).toMatch(/Failed attempts:\n {2}flaky #1: network: connect ECONNREFUSED/);
    expect(stdout).not.toMatch(/Served by/);
    expect(stderr).toMatch(/^error \[network\]: /);
  });

  it('rejects invalid input with exit 2 before any provider is called', async () => {
    const invalid = await cli('call', 'storage.putObject', '--input', JSON.stringify({ bucket: 'Not A Bucket', key: 'k', body: '' }));
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^error \[validation\]: Invalid input for storage\.putObject: bucket:/);
    expect(invalid.stdout).not.toMatch(/Failed attempts/);
  });
});

describe('switchyard integrations', () => {
  it('adds, lists, tests and removes integrations in the SQLite store of the working directory', async () => {
    const added = await cli('integrations', 'add', 'echo', '--name', 'Echo (acme)', '--settings', '{"region":"eu"}', '--json');
    expect(added.code).toBe(0);
    const [echo] = JSON.parse(added.stdout) as { id: string; status: string; settings: unknown }[];
    expect(echo).toMatchObject({ status: 'active', settings: { region: 'eu' } });
    expect(existsSync(join(directory, '.switchyard', 'switchyard.db'))).toBe(true);

    const flaky = await cli('integrations', 'add', 'flaky', '--name', 'Flaky');
    expect(flaky.code).toBe(1);
    expect(flaky.stdout).toMatch(/^\S+\s+Flaky\s+flaky\s+error\s+/m);
    expect(flaky.stderr).toMatch(/^error \[network\]: connect: integration "\S+" failed its connection test: connect ECONNREFUSED/);

    const listed = await cli('integrations', 'list');
    expect(listed.stdout).toMatch(/^ID\s+NAME\s+PROVIDER\s+STATUS\s+CREATED$/m);
    expect(listed.stdout).toMatch(new RegExp(`^${echo?.id}\\s+Echo \\(acme\\)\\s+echo\\s+active\\s+`, 'm'));

    const tested = await cli('integrations', 'test', echo?.id ?? '');
    expect(tested).toMatchObject({ code: 0, stderr: '' });
    expect(tested.stdout).toMatch(/\(echo\): connection test passed in/);

    expect((await cli('integrations', 'remove', echo?.id ?? '')).stdout).toBe(`removed ${echo?.id}\n`);
    const remaining = JSON.parse((await cli('integrations', 'list', '--json')).stdout) as { providerId: string }[];
    expect(remaining.map((integration) => integration.providerId)).toEqual(['flaky']);
  });

  it('exits 2 on usage and validation errors and 1 on missing integrations', async () => {
    const unknownProvider = await cli('integrations', 'add', 'nope', '--name', 'X');
    expect(unknownProvider.code).toBe(2);
    expect(unknownProvider.stderr).toMatch(/^error \[validation\]: createIntegration: providerId: no provider "nope" is registered/);
    const badJson = await cli('integrations', 'add', 'echo', '--name', 'X', '--settings', '{');
    expect(badJson).toMatchObject({ code: 2 });
    expect(badJson.stderr).toMatch(/^error \[usage\]: --settings is not valid JSON/);
    expect((await cli('integrations', 'add', 'echo')).stderr).toMatch(/missing --name/);
    expect(await cli('integrations', 'frobnicate')).toMatchObject({ code: 2 });
    const missing = await cli('integrations', 'test', 'missing-id');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error \[not_found\]: store\.integrations\.get: integration "missing-id" not found/);
    expect(await cli('bogus')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^error \[usage\]: unknown command "bogus"/) as string,
    });
    expect(await cli('call', 'storage')).toMatchObject({ code: 2 });
    expect(await cli('providers', '--no-such-flag')).toMatchObject({ code: 2 });
  });
});

describe('switchyard health', () => {
  it('reports each provider check and integration score, exiting 1 when a check fails', async () => {
    await cli('integrations', 'add', 'echo', '--name', 'Echo');
    const { code, stdout } = await cli('health', '--json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      providers: { provider: string; healthy: boolean }[];
      integrations: { providerId: string; score: number }[];
    };
    expect(
      report.providers.filter((check) => ['echo', 'flaky'].includes(check.provider)).map((check) => [check.provider, check.healthy]),
    ).toEqual([
      ['echo', true],
      ['flaky', false],
    ]);
    expect(report.integrations).toMatchObject([{ providerId: 'echo', score: 100 }]);
    const table = await cli('health');
    expect(table.stdout).toMatch(/^flaky\s+no\s+yes\s+.*network: connect ECONNREFUSED/m);
  });
});
