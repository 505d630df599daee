import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { workspaceRoot } from './workspace.ts';

/** What a finished command printed and how it exited. */
export interface CommandResult {
  /** The exit code; 1 when the command was killed by a signal or could not start. */
  readonly status: number;
  /** Standard output alone, for machine-readable results. */
  readonly stdout: string;
  /** Standard error alone, to check that a command printed no warnings. */
  readonly stderr: string;
  /** Standard output and standard error in the order they arrived, for people. */
  readonly output: string;
  /** Whether the time limit ran out, so the command and its process group were killed. */
  readonly timedOut: boolean;
}

export interface RunCommandOptions {
  readonly cwd: string;
  /** The workspace whose node_modules/.bin goes first on PATH; default: this one. */
  readonly root?: string;
  /**
   * The time limit in milliseconds before {@link timeoutScale} is applied; default: 30 minutes,
   * generous on purpose: a limit only has to catch a command that hangs, and a busy CI machine is slow.
   */
  readonly timeoutMs?: number;
  /** Added to the environment; a variable set to `undefined` is removed. */
  readonly env?: NodeJS.ProcessEnv;
}

const DEFAULT_TIMEOUT_MS = 30 * 60_000;
/** How long to wait for the processes of a killed group to be reaped before moving on anyway. */
const GROUP_EXIT_WAIT_MS = 30_000;

/**
 * The factor every command time limit is multiplied by: `SWITCHYARD_TIMEOUT_SCALE` (a positive number,
 * e.g. `3` on a machine that is busy with other work), default 1.
 */
export function timeoutScale(): number {
  const scale = Number(process.env.SWITCHYARD_TIMEOUT_SCALE);
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
}

/** Process groups of the commands running now, killed when this process is told to stop. */
const runningGroups = new Set<number>();
let forwardingSignals = false;

function signalGroup(groupId: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-groupId, signal);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Polls until no process of the group is left (not even unreaped), or the wait runs out. */
async function waitForGroupExit(groupId: number): Promise<void> {
  const deadline = Date.now() + GROUP_EXIT_WAIT_MS;
  while (signalGroup(groupId, 0) && Date.now() < deadline) await sleep(50);
}

/**
 * Commands run in process groups of their own, which a terminal's Ctrl-C or a CI runner's SIGTERM no
 * longer reaches: pass those on (as SIGKILL to every running group), then stop as the signal asks.
 */
function forwardTerminationSignals(): void {
  if (forwardingSignals) return;
  forwardingSignals = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const groupId of runningGroups) signalGroup(groupId, 'SIGKILL');
      process.kill(process.pid, signal);
    });
  }
}

/**
 * Runs a command to completion with the workspace's tools first on PATH (so
 * `node` is the pinned Node 22), capturing stdout and stderr.
 *
 * The command runs in a process group of its own. When the time limit runs
 * out, the whole group is killed (npx, nx and their workers alike, not only
 * the first process); when the command exits, whatever it left running in
 * its group is killed too. The promise settles only once the group is gone,
 * so nothing is still writing into a folder the caller is about to delete.
 * It never rejects: a command that cannot start reports status 1 and why.
 */
export async function runCommand(command: string, commandArguments: readonly string[], options: RunCommandOptions): Promise<CommandResult> {
  forwardTerminationSignals();
  const timeoutMs = (options.timeoutMs ?? DEFAULT_TIMEOUT_MS) * timeoutScale();
  const binDirectory = join(options.root ?? workspaceRoot, 'node_modules', '.bin');
  const child = spawn(command, commandArguments, {
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...options.env,
      PATH: `${binDirectory}:${process.env.PATH ?? ''}`,
      FORCE_COLOR: '0',
      NO_COLOR: '1',
    },
  });
  const groupId = child.pid;
  if (groupId !== undefined) runningGroups.add(groupId);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const output: string[] = [];
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout.push(text);
    output.push(text);
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr.push(text);
    output.push(text);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (groupId !== undefined) signalGroup(groupId, 'SIGKILL');
  }, timeoutMs);
  let startError: Error | undefined;
  child.on('error', (error) => {
    startError = error;
  });
  // The command is done; anything still running in its group is left over and would hold its pipes open.
  child.on('exit', () => {
    if (groupId !== undefined) signalGroup(groupId, 'SIGKILL');
  });
  const status = await new Promise<number>((resolve) => {
    child.on('close', (code) => resolve(code ?? 1));
  });
  clearTimeout(timer);
  if (groupId !== undefined) {
    await waitForGroupExit(groupId);
    runningGroups.delete(groupId);
  }
  if (timedOut) {
    output.push(`\n[killed after ${timeoutMs / 1000} s: "${command}" and its process group ran out of time]\n`);
  }
  if (startError !== undefined) output.push(`\n${String(startError)}\n`);
  return {
    status: startError !== undefined || timedOut ? Math.max(status, 1) : status,
    stdout: stdout.join(''),
    stderr: stderr.join(''),
    output: output.join(''),
    timedOut,
  };
}

/** The npm CLI: the one running this script when started by `npm run`, else `npm` on PATH. */
export function npmCommand(): [string, string[]] {
  const npm = process.env.npm_execpath;
  return npm !== undefined && existsSync(npm) ? [process.execPath, [npm]] : ['npm', []];
}
