/**
 * npm run bench:http [-- --json] [-- --quick]
 *
 * Requests per second and p50/p99 latency of one small-JSON GET through
 * `@switchyard/http`'s full client pipeline (bearer auth, error mapping, a zod
 * response schema) against raw undici `Pool.request` + `body.json()` with the
 * same headers, both against one loopback node:http server that runs in a
 * child process (so it does not share the clients' event loop). Each
 * concurrency level (1, 16, 64) runs the two variants interleaved in
 * eight alternating slices, ~2 s per variant (~0.5 s with --quick).
 *
 * Target (issue 4): client >= 0.90x raw undici requests/s at c=64. On a
 * small machine the server saturates first, so requests/s ratios sit near 1
 * and are noisy; the client process's CPU µs per request is the steadier
 * measure of what the pipeline itself costs.
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { z } from 'zod';
import { bearerAuth, createHttpClient } from '@switchyard/http';
import { printTable } from './measure.ts';

const PAYLOAD = JSON.stringify({
  id: 42,
  name: 'switchyard',
  full_name: 'switchyard-dev/switchyard',
  private: false,
  stargazers_count: 1234,
  topics: ['integrations', 'router'],
});

if (process.argv.includes('--server')) {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(PAYLOAD) });
      response.end(PAYLOAD);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
  process.on('disconnect', () => process.exit(0));
} else {
  await main();
}

interface CellResult {
  readonly requestsPerSecond: number;
  /** CPU time of this (client) process per request, in µs: the pipeline's own cost, independent of the server. */
  readonly cpuMicrosecondsPerRequest: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

/** Runs `call` from `concurrency` loops for `durationMs`, appending each latency (ms). */
async function runFor(call: () => Promise<unknown>, concurrency: number, durationMs: number, latencies: number[]): Promise<number> {
  const stopAt = performance.now() + durationMs;
  let completed = 0;
  const loop = async (): Promise<void> => {
    while (performance.now() < stopAt) {
      const startedAt = performance.now();
      await call();
      latencies.push(performance.now() - startedAt);
      completed += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return completed;
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const quick = process.argv.includes('--quick');
  const cellMs = quick ? 500 : 2_000;
  const slices = 8;

  const child = fork(import.meta.filename, ['--server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (message: { port: number }) => resolve(message.port)));
  const origin = `http://127.0.0.1:${port}`;

  const token = 'bench-token-0123456789abcdef';
  const schema = z.object({ id: z.number(), name: z.string(), topics: z.array(z.string()) });
  const client = createHttpClient({ baseURL: origin, allowPrivateNetwork: true, provider: 'bench', auth: bearerAuth({ token }) });
  const pool = new Pool(origin, { keepAliveTimeout: 10_000 });
  const rawHeaders = { accept: 'application/json', 'user-agent': 'bench', authorization: `Bearer ${token}` };

  const variants = {
    raw: async (): Promise<unknown> => {
      const response = await pool.request({ origin, path: '/repos/switchyard-dev/switchyard', method: 'GET', headers: rawHeaders });
      return response.body.json();
    },
    client: (): Promise<unknown> => client.request({ path: '/repos/switchyard-dev/switchyard', responseSchema: schema }),
  };

  const cells: { concurrency: number; raw: CellResult; client: CellResult; ratio: number; cpuRatio: number }[] = [];
  for (const concurrency of [1, 16, 64]) {
    for (const call of Object.values(variants)) await runFor(call, concurrency, quick ? 150 : 400, []);
    const totals = {
      raw: { completed: 0, cpuMicroseconds: 0, latencies: [] as number[] },
      client: { completed: 0, cpuMicroseconds: 0, latencies: [] as number[] },
    };
    for (let slice = 0; slice < slices; slice += 1) {
      // Alternate which variant goes first, so neither always runs on a warmer (or more tired) machine.
      for (const name of slice % 2 === 0 ? (['raw', 'client'] as const) : (['client', 'raw'] as const)) {
        const cpuBefore = process.cpuUsage();
        totals[name].completed += await runFor(variants[name], concurrency, cellMs / slices, totals[name].latencies);
        const cpu = process.cpuUsage(cpuBefore);
        totals[name].cpuMicroseconds += cpu.user + cpu.system;
      }
    }
    const summarize = (name: 'raw' | 'client'): CellResult => {
      const sorted = Float64Array.from(totals[name].latencies).sort();
      return {
        requestsPerSecond: totals[name].completed / (cellMs / 1000),
        cpuMicrosecondsPerRequest: totals[name].cpuMicroseconds / totals[name].completed,
        p50Ms: percentile(sorted, 0.5),
        p99Ms: percentile(sorted, 0.99),
      };
    };
    const raw = summarize('raw');
    const measured = summarize('client');
    cells.push({
      concurrency,
      raw,
      client: measured,
      ratio: measured.requestsPerSecond / raw.requestsPerSecond,
      cpuRatio: measured.cpuMicrosecondsPerRequest / raw.cpuMicrosecondsPerRequest,
    });
  }

  child.disconnect();
  await pool.close();

  const ratioAt64 = cells.find((cell) => cell.concurrency === 64)!.ratio;
  const target = 0.9;
  if (json) {
    console.log(JSON.stringify({ node: process.version, cellMs, target, ratioAt64, meetsTarget: ratioAt64 >= target, cells }, null, 2));
    return;
  }
  console.log(
    `http benchmark: GET small JSON over loopback (server in a child process), ${cellMs / 1000} s per variant and concurrency, ${process.version}\n`,
  );
  const number = (value: number, digits: number): string => value.toFixed(digits);
  printTable(
    [
      'concurrency',
      'raw req/s',
      'raw p50 ms',
      'raw p99 ms',
      'raw CPU µs/req',
      'client req/s',
      'client p50 ms',
      'client p99 ms',
      'client CPU µs/req',
      'client/raw req/s',
      'client/raw CPU',
    ],
    cells.map((cell) => [
      `c=${cell.concurrency}`,
      number(cell.raw.requestsPerSecond, 0),
      number(cell.raw.p50Ms, 3),
      number(cell.raw.p99Ms, 3),
      number(cell.raw.cpuMicrosecondsPerRequest, 1),
      number(cell.client.requestsPerSecond, 0),
      number(cell.client.p50Ms, 3),
      number(cell.client.p99Ms, 3),
      number(cell.client.cpuMicrosecondsPerRequest, 1),
      number(cell.ratio, 2),
      number(cell.cpuRatio, 2),
    ]),
  );
  console.log(`\nclient/raw at c=64: ${number(ratioAt64, 2)} (target >= ${target}) ${ratioAt64 >= target ? 'MET' : 'NOT MET'}`);
}
