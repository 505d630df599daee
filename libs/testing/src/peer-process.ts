import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';

/** How {@link startPeerProcess} runs a local peer (an emulator such as moto_server or Azurite). */
export interface PeerProcessOptions {
  /** What to call the peer in messages, e.g. "moto_server". */
  readonly name: string;
  /** The executable: a name on PATH or an absolute path. */
  readonly command: string;
  /** Its arguments, given the loopback port it must listen on. */
  readonly args: (port: number) => readonly string[];
  /** The port to use. Default: a free loopback port. */
  readonly port?: number;
  /**
   * When it counts as ready: once an HTTP GET of this path gets any answer.
   * Default: once its port accepts a TCP connection.
   */
  readonly readyPath?: string;
  /**
   * Also wait until its output matches this: the line it prints once it has
   * bound its port, so that another process that took the port between our
   * check and its start is never taken for it. Give it whenever the peer prints
   * such a line.
   */
  readonly readyOutput?: RegExp;
  /** How long to wait for it to become ready. Default 30 000 ms. */
  readonly readyTimeoutMs?: number;
  /** Extra environment variables for it. */
  readonly env?: Readonly<Record<string, string>>;
  /** Added to the error when the command cannot be found, e.g. how to install it. */
  readonly missingHint?: string;
}

/** A running {@link startPeerProcess}. */
export interface PeerProcess {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** The last output it printed (stdout and stderr), for failure messages. */
  output(): string;
  /** Stops it: SIGTERM, then SIGKILL after 3 s. Safe to call twice. */
  stop(): Promise<void>;
}

const OUTPUT_LIMIT = 8192;
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function answersHttp(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(killTimer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts a local peer process bound to 127.0.0.1 on a free port and waits
 * until it answers. Fails with a message naming the peer, and how to install
 * it, when the command is missing, exits early or is not ready in time.
 * Processes still running when the test process exits are killed.
 *
 * @example
 * ```ts
 * const moto = await startPeerProcess({
 *   name: 'moto_server',
 *   command: 'moto_server',
 *   args: (port) => ['-H', '127.0.0.1', '-p', String(port)],
 *   readyPath: '/moto-api/',
 * });
 * // ... tests against moto.url ...
 * await moto.stop();
 * ```
 */
export async function startPeerProcess(options: PeerProcessOptions): Promise<PeerProcess> {
  // A free port can be taken by another process before the peer binds it; with a port of our choosing, try another.
  const attempts = options.port === undefined ? PORT_ATTEMPTS : 1;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(options, options.port ?? (await findFreePort()));
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= attempts) throw error;
    }
  }
}

const PORT_ATTEMPTS = 3;

/** The peer exited before it was ready, saying its port was in use. */
class PortTakenError extends Error {}

async function startOnce(options: PeerProcessOptions, port: number): Promise<PeerProcess> {
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(options.command, [...options.args(port)], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const process of running) process.kill('SIGKILL');
    });
  }
  const record = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', record);
  child.stderr?.on('data', record);

  let failure: Error | undefined;
  let exited = false;
  child.once('error', (error: NodeJS.ErrnoException) => {
    failure = new Error(
      error.code === 'ENOENT'
        ? `${options.name} is not installed: "${options.command}" was not found.${options.missingHint ? ` ${options.missingHint}` : ''}`
        : `${options.name} could not start: ${error.message}`,
    );
  });
  child.once('exit', (code, signal) => {
    const message = `${options.name} exited before it was ready (code ${code}, signal ${signal}). Its output:\n${output}`;
    failure ??= new Error(message);
    exited = true;
  });

  const peer: PeerProcess = { url, port, output: () => output, stop: () => stopChild(child) };
  const readyBy = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (failure !== undefined) {
      await peer.stop();
      // Something else answers on the port it was to take (some peers, Prism among them, do not say why they stopped).
      if (exited && (PORT_IN_USE.test(output) || (await canConnect(port)))) throw new PortTakenError(failure.message);
      throw failure;
    }
    const printed = options.readyOutput === undefined || options.readyOutput.test(output);
    const ready = printed && (options.readyPath === undefined ? await canConnect(port) : await answersHttp(`${url}${options.readyPath}`));
    if (ready && failure === undefined) return peer;
    if (Date.now() > readyBy) {
      await peer.stop();
      throw new Error(`${options.name} was not ready on ${url} within ${options.readyTimeoutMs ?? 30_000} ms. Its output:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What peers print when their port is taken. */
const PORT_IN_USE = /EADDRINUSE|address already in use/i;
