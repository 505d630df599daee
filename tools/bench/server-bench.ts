/**
 * npm run bench:server [-- --json] [-- --quick]
 *
 * What `@switchyard/server` adds to a call (issue 17): `POST /api/v1/execute`
 * (API key check, rate limiter, zod validation of the body, the hub's routing
 * and output validation, problem-details error handling, metrics hooks)
 * against a bare Fastify route that calls the same provider's `execute`
 * directly, both serving `storage.headObject` from a provider whose every
 * call is an HTTP GET to a loopback peer (undici, keep-alive).
 *
 * The peer, our server and the bare route run in one child process; the load
 * comes from this process (undici Pool, one connection per caller in flight),
 * so the servers do not share the load generator's event loop. Each
 * concurrency (1 and 64) runs the two variants in alternating slices; the
 * report is requests/s and the median latency of each.
 *
 * Goals (issue 17): ≥ 0.8× the bare route's requests/s at c=64
 * (`serverOverBareRouteC64`), ≤ 0.3 ms added to the median at c=1
 * (`addedP50MsC1`). Printed, never failing the run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { createHub, silentLogger, type ProviderCallContext, type ProviderV1 } from '@switchyard/core';
import { createMemoryStorageProvider } from '@switchyard/core/testing';
import { createApiKeys, createMemoryStore } from '@switchyard/platform';
import { createServer } from '@switchyard/server';
import Fastify from 'fastify';
import { Pool } from 'undici';
import { printTable } from './measure.ts';

const INFO = {
  bucket: 'bench',
  key: 'reports/q3.txt',
  size: 16,
  etag: '9b2cf535f277',
  contentType: 'text/plain',
  lastModified: '2026-12-06T12:00:00.000Z',
  metadata: {},
};
const INPUT = { bucket: 'bench', key: 'reports/q3.txt' };

interface Ports {
  readonly server: number;
  readonly bare: number;
  readonly key: string;
}

/** The child: the loopback peer, the provider that calls it, our server and the bare route. */
async function runChild(): Promise<void> {
  const payload = JSON.stringify(INFO);
  const peer = createHttpServer((request, response) => {
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    response.end(payload);
  });
  await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
  const upstream = new Pool(`http://127.0.0.1:${(peer.address() as AddressInfo).port}`, { connections: 128 });
  const base = createMemoryStorageProvider({ id: 'loopback', buckets: ['bench'] });
  const provider: ProviderV1 = {
    ...base,
    execute: async (_request, context) => {
      const response = await upstream.request({ method: 'GET', path: '/objects/bench/reports%2Fq3.txt', signal: context.signal });
      return response.body.json();
    },
  };

  const store = createMemoryStore();
  const hub = createHub({ providers: [provider] });
  const { key } = await createApiKeys(store).issue({ name: 'bench', scopes: ['execute'] });
  const server = createServer({ hub, platform: { store }, rateLimit: false });
  const serverUrl = await server.listen();

  const bare = Fastify({ logger: false });
  const callContext = (): ProviderCallContext => ({
    signal: new AbortController().signal,
    attempt: 1,
    idempotencyKey: undefined,
    deadline: undefined,
    logger: silentLogger,
    reportRateLimit: () => undefined,
  });
  bare.post('/execute', async (request) => {
    const body = request.body as { input: unknown };
    const value = await provider.execute({ capability: 'storage', operation: 'headObject', input: body.input }, callContext());
    return { value, provider: 'loopback' };
  });
  await bare.listen({ port: 0, host: '127.0.0.1' });

  const ports: Ports = { server: Number(new URL(serverUrl).port), bare: (bare.server.address() as AddressInfo).port, key };
  process.send?.(ports);
  process.on('message', (message) => {
    if (message !== 'stop') return;
    void (async () => {
      await server.close();
      await bare.close();
      await hub.close();
      await upstream.close();
      peer.close();
      process.exit(0);
    })();
  });
}

interface Variant {
  readonly name: string;
  readonly pool: Pool;
  readonly path: string;
  readonly headers: Record<string, string>;
}

/** `concurrency` callers for `durationMs`: completed requests and each one's latency in ms. */
async function runSlice(
  variant: Variant,
  concurrency: number,
  durationMs: number,
  body: string,
): Promise<{ count: number; latencies: number[] }> {
  const stopAt = performance.now() + durationMs;
  const latencies: number[] = [];
  const caller = async () => {
    while (performance.now() < stopAt) {
      const started = performance.now();
      const response = await variant.pool.request({ method: 'POST', path: variant.path, headers: variant.headers, body });
      const text = await response.body.text();
      if (response.statusCode !== 200) throw new Error(`${variant.name}: ${response.statusCode} ${text.slice(0, 200)}`);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  return { count: latencies.length, latencies };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function runParent(): Promise<void> {
  const json = process.argv.includes('--json');
  const quick = process.argv.includes('--quick');
  const sliceMs = quick ? 300 : 1_000;
  const slices = quick ? 4 : 8;
  const child: ChildProcess = fork(new URL(import.meta.url), ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ports = await new Promise<Ports>((resolve, reject) => {
    child.once('message', (message) => resolve(message as Ports));
    child.once('exit', (code) => reject(new Error(`the bench child exited (${code}) before it was ready`)));
  });
  const server = new Pool(`http://127.0.0.1:${ports.server}`, { connections: 64 });
  const bare = new Pool(`http://127.0.0.1:${ports.bare}`, { connections: 64 });
  const headers = { 'content-type': 'application/json' };
  const variants: Variant[] = [
    {
      name: 'POST /api/v1/execute (@switchyard/server)',
      pool: server,
      path: '/api/v1/execute',
      headers: { ...headers, authorization: `Bearer ${ports.key}` },
    },
    { name: 'bare Fastify route → provider.execute', pool: bare, path: '/execute', headers },
  ];
  const body = JSON.stringify({ capability: 'storage', operation: 'headObject', input: INPUT });

  const results: { name: string; concurrency: number; requestsPerSecond: number; p50Ms: number }[] = [];
  for (const concurrency of [1, 64]) {
    for (const variant of variants) await runSlice(variant, concurrency, sliceMs, body);
    const counts = variants.map(() => 0);
    const latencies: number[][] = variants.map(() => []);
    for (let slice = 0; slice < slices; slice += 1) {
      for (let offset = 0; offset < variants.length; offset += 1) {
        const index = (slice + offset) % variants.length;
        const { count, latencies: sliceLatencies } = await runSlice(variants[index]!, concurrency, sliceMs, body);
        counts[index]! += count;
        latencies[index]!.push(...sliceLatencies);
      }
    }
    variants.forEach((variant, index) =>
      results.push({
        name: variant.name,
        concurrency,
        requestsPerSecond: counts[index]! / ((slices * sliceMs) / 1000),
        p50Ms: median(latencies[index]!),
      }),
    );
  }
  child.send('stop');
  await new Promise((resolve) => child.once('exit', resolve));
  await server.close();
  await bare.close();

  const find = (concurrency: number, index: number) =>
    results.find((result) => result.concurrency === concurrency && result.name === variants[index]!.name)!;
  const ratioC64 = find(64, 0).requestsPerSecond / find(64, 1).requestsPerSecond;
  const ratioC1 = find(1, 0).requestsPerSecond / find(1, 1).requestsPerSecond;
  const addedP50MsC1 = find(1, 0).p50Ms - find(1, 1).p50Ms;
  const goals = { serverOverBareRouteC64: 0.8, addedP50MsC1: 0.3 };
  const met = { serverOverBareRouteC64: ratioC64 >= goals.serverOverBareRouteC64, addedP50MsC1: addedP50MsC1 <= goals.addedP50MsC1 };
  if (json) {
    console.log(
      JSON.stringify({
        benchmark: 'server',
        node: process.version,
        loadAverage: loadavg()[0],
        options: { sliceMs, slices },
        serverOverBareRouteC64: ratioC64,
        addedP50MsC1,
        serverOverBareRouteC1: ratioC1,
        goals,
        met,
        variants: results,
      }),
    );
    return;
  }
  console.log(
    `server benchmark: ${slices} alternating slices x ${sliceMs} ms per variant and concurrency, ${process.version}, load ${loadavg()[0]!.toFixed(2)}\n`,
  );
  printTable(
    ['variant', 'c', 'requests/s', 'p50 ms'],
    results.map((result) => [result.name, String(result.concurrency), result.requestsPerSecond.toFixed(0), result.p50Ms.toFixed(3)]),
  );
  console.log(
    `\nserver / bare route requests/s: ${ratioC1.toFixed(3)} at c=1, ${ratioC64.toFixed(3)} at c=64 (goal >= 0.8 at c=64: ${met.serverOverBareRouteC64 ? 'met' : 'NOT met'})`,
  );
  console.log(`p50 added by the server at c=1: ${addedP50MsC1.toFixed(3)} ms (goal <= 0.3 ms: ${met.addedP50MsC1 ? 'met' : 'NOT met'})`);
}

if (process.argv.includes('--child')) await runChild();
else await runParent();
