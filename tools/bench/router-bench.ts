/**
 * npm run bench:router [-- --json] [-- --quick]
 *
 * The cost of `hub.execute` on the success path, measured in one run against
 * the baselines it competes with: the same in-process provider called
 * directly (a bare async call), through cockatiel's retry + circuit breaker +
 * timeout wrap, and through an opossum breaker with a timeout. The hub routes
 * `storage.headObject` across three providers (input and output validated
 * against the contract, breaker, one deadline timer, stats).
 *
 * Target (issue 3): hub overhead <= 1/5 of cockatiel's wrap overhead, where
 * overhead = ns per call - the bare call's ns per call.
 */
import { ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleAll, retry, timeout, TimeoutStrategy, wrap } from 'cockatiel';
import OpossumBreaker from 'opossum';
import { createHub, silentLogger, type ProviderCallContext, type ProviderRequest, type ProviderV1 } from '@switchyard/core';
import { storageV1 } from '@switchyard/core/storage';
import { measure, printTable, type Variant } from './measure.ts';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');

const object = {
  bucket: 'bench-bucket',
  key: 'reports/q3.txt',
  size: 4_096,
  etag: '9b2cf535f27731c974343645a3985328',
  contentType: 'text/plain',
  lastModified: '2026-11-22T00:00:00.000Z',
  metadata: {},
};
const input = { bucket: 'bench-bucket', key: 'reports/q3.txt' };

/** A minimal in-process provider: answers headObject with a constant object. */
function benchProvider(id: string): ProviderV1 {
  return {
    specificationVersion: 'v1',
    manifest: Object.freeze({
      id,
      name: id,
      category: 'cloud',
      docsUrl: 'https://github.com/switchyard-dev/switchyard/tree/main/tools/bench',
      capabilities: Object.freeze([Object.freeze({ name: 'storage', version: 1, operations: Object.freeze(['headObject']) })]),
      authKinds: Object.freeze(['none'] as const),
    }),
    contracts: [storageV1],
    execute: () => Promise.resolve(object),
  };
}

const providers = ['primary', 'secondary', 'tertiary'].map(benchProvider);
const direct = providers[0]!;
const request: ProviderRequest = { capability: 'storage', operation: 'headObject', input };
const context: ProviderCallContext = {
  signal: new AbortController().signal,
  attempt: 1,
  idempotencyKey: undefined,
  deadline: undefined,
  logger: silentLogger,
};

const hub = createHub({ providers, routing: { providers: { primary: { weight: 2 } } } });
const hubWithoutOutputCheck = createHub({
  providers: ['primary', 'secondary', 'tertiary'].map(benchProvider),
  routing: { validateOutput: false, providers: { primary: { weight: 2 } } },
});
const hubRequest = { capability: 'storage', operation: 'headObject', input };

const cockatiel = wrap(
  retry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff() }),
  circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) }),
  timeout(10_000, TimeoutStrategy.Cooperative),
);
const opossum = new OpossumBreaker((call: ProviderRequest) => direct.execute(call, context), { timeout: 10_000 });

const variants: Variant[] = [
  { name: 'bare async call', call: () => direct.execute(request, context) },
  { name: 'hub.execute (3 providers)', call: () => hub.execute(hubRequest) },
  { name: 'hub.storage.headObject', call: () => hub.storage.headObject(input) },
  { name: 'hub.execute, output not validated', call: () => hubWithoutOutputCheck.execute(hubRequest) },
  { name: 'cockatiel retry+breaker+timeout', call: () => cockatiel.execute(() => direct.execute(request, context)) },
  { name: 'opossum fire()', call: () => opossum.fire(request) },
];

const options = quick ? { callsPerRound: 5_000, rounds: 3, warmupCalls: 2_000 } : { callsPerRound: 50_000, rounds: 7, warmupCalls: 20_000 };
const results = await measure(variants, options);
const bare = results[0]!.nsPerCall;
const byName = Object.fromEntries(results.map((result) => [result.name, result.nsPerCall]));
const hubOverhead = byName['hub.execute (3 providers)']! - bare;
const cockatielOverhead = byName['cockatiel retry+breaker+timeout']! - bare;
const ratio = hubOverhead / cockatielOverhead;
const target = 0.2;

await hub.close();
await hubWithoutOutputCheck.close();
opossum.shutdown();

if (json) {
  console.log(
    JSON.stringify({
      benchmark: 'router',
      node: process.version,
      options,
      nsPerCall: byName,
      overheadNs: Object.fromEntries(results.map((result) => [result.name, result.nsPerCall - bare])),
      ratios: {
        hubOverheadOverCockatielOverhead: ratio,
        hubOverBare: byName['hub.execute (3 providers)']! / bare,
        cockatielOverBare: byName['cockatiel retry+breaker+timeout']! / bare,
        opossumOverBare: byName['opossum fire()']! / bare,
      },
      target: { hubOverheadOverCockatielOverhead: target, met: ratio <= target },
      rounds: Object.fromEntries(results.map((result) => [result.name, result.rounds])),
    }),
  );
} else {
  console.log(`router benchmark: median of ${options.rounds} rounds x ${options.callsPerRound} sequential calls, ${process.version}\n`);
  printTable(
    ['variant', 'ns/call', 'overhead ns', 'x bare'],
    results.map((result) => [
      result.name,
      result.nsPerCall.toFixed(0),
      (result.nsPerCall - bare).toFixed(0),
      (result.nsPerCall / bare).toFixed(2),
    ]),
  );
  console.log(`\nhub overhead / cockatiel overhead = ${ratio.toFixed(3)} (target <= ${target}: ${ratio <= target ? 'met' : 'NOT met'})`);
}
