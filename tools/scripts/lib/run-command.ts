import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from './workspace.ts';

/** What a finished command printed and how it exited. */
export interface CommandResult {
  readonly status: number;
  /** Standard output alone, for machine-readable results. */
  readonly stdout: string;
  /** Standard output and standard error together, for people. */
  readonly output: string;
}

/**
 * Runs a command to completion with the workspace's tools first on PATH (so
 * `node` is the pinned Node 22), capturing stdout and stderr together.
 */
export function runCommand(
  command: string,
  commandArguments: readonly string[],
  options: {
    readonly cwd: string;
    /** The workspace whose node_modules/.bin goes first on PATH; default: this one. */
    readonly root?: string;
    readonly timeoutMs?: number;
    readonly env?: NodeJS.ProcessEnv;
  },
): CommandResult {
  const binDirectory = join(options.root ?? workspaceRoot, 'node_modules', '.bin');
  const result = spawnSync(command, commandArguments, {
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 600_000,
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      ...options.env,
      PATH: `${binDirectory}:${process.env.PATH ?? ''}`,
      FORCE_COLOR: '0',
      NO_COLOR: '1',
    },
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
  return { status: result.status ?? 1, stdout: result.stdout ?? '', output };
}

/** The npm CLI: the one running this script when started by `npm run`, else `npm` on PATH. */
export function npmCommand(): [string, string[]] {
  const npm = process.env.npm_execpath;
  return npm !== undefined && existsSync(npm) ? [process.execPath, [npm]] : ['npm', []];
}
