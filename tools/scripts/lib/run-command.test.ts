import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCommand } from './run-command.ts';
import { makeTemporaryDirectory, removeTemporaryDirectory } from './temporary-directory.ts';

const directories: string[] = [];

afterEach(() => {
  vi.restoreAllMocks();
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true, maxRetries: 5 });
});

function temporaryDirectory(): string {
  const directory = makeTemporaryDirectory('switchyard-run-command-test');
  directories.push(directory);
  return directory;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runCommand', () => {
  it('kills a command that runs out of time together with what it started, before it returns', async () => {
    const directory = temporaryDirectory();
    const output = join(directory, 'output');
    mkdirSync(output);
    // A child that starts a writer and waits for it: as npx waits for nx, and nx for its workers.
    const script = '(while true; do date > "$1/file-$(date +%s%N)"; sleep 0.02; done) & echo $! > "$2"; wait';
    const result = await runCommand('sh', ['-c', script, 'sh', output, join(directory, 'writer.pid')], {
      cwd: directory,
      timeoutMs: 1_000,
    });

    const writer = Number(readFileSync(join(directory, 'writer.pid'), 'utf8'));
    expect(isRunning(writer), 'the writer the command started is still running').toBe(false);
    // Nothing writes into the folder any more: it can be removed, and stays removed.
    rmSync(output, { recursive: true });
    await sleep(300);
    expect(existsSync(output)).toBe(false);
    expect(result).toMatchObject({ timedOut: true, status: 1 });
    expect(result.output).toMatch(/ran out of time/);
  }, 60_000);

  it('leaves nothing running after a command that exits, and does not wait for what it left behind', async () => {
    const directory = temporaryDirectory();
    const result = await runCommand('sh', ['-c', 'sleep 600 & echo $! > "$1"; echo started', 'sh', join(directory, 'sleep.pid')], {
      cwd: directory,
      timeoutMs: 120_000,
    });

    expect(result).toMatchObject({ status: 0, stdout: 'started\n', timedOut: false });
    expect(isRunning(Number(readFileSync(join(directory, 'sleep.pid'), 'utf8')))).toBe(false);
  }, 60_000);

  it('keeps stdout and stderr apart, and together in order for people', async () => {
    const result = await runCommand('sh', ['-c', 'echo out; sleep 0.1; echo err >&2; exit 3'], { cwd: temporaryDirectory() });

    expect(result).toMatchObject({ status: 3, stdout: 'out\n', stderr: 'err\n', output: 'out\nerr\n', timedOut: false });
  }, 60_000);

  it('reports a command that cannot start as a failure, without throwing', async () => {
    const result = await runCommand('switchyard-no-such-command', [], { cwd: temporaryDirectory() });

    expect(result.status).toBe(1);
    expect(result.output).toMatch(/ENOENT/);
  }, 60_000);
});

describe('removeTemporaryDirectory', () => {
  it('removes a folder with its contents', () => {
    const directory = makeTemporaryDirectory('switchyard-run-command-test');
    mkdirSync(join(directory, 'nested'));

    removeTemporaryDirectory(directory);

    expect(existsSync(directory)).toBe(false);
  });

  it('only warns when the folder cannot be removed, so it cannot hide the error that made a check fail', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);

    expect(() => removeTemporaryDirectory('/tmp/not\0a-path')).not.toThrow();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^warning: could not remove/));
  });

  it('is quiet for a folder that is already gone', () => {
    const warn = vi.spyOn(console, 'warn');
    removeTemporaryDirectory(join(temporaryDirectory(), 'never-made'));
    expect(warn).not.toHaveBeenCalled();
    expect(readdirSync(directories[0]!)).toEqual([]);
  });
});
