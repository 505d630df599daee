/**
 * The quickstart: `npm ci && npm run quickstart`. Needs no external service.
 *
 * Runs the real engine on the embedded default: a hub over two in-memory
 * storage providers, a put routed to the preferred one, an outage that the
 * router fails over around (with its events), the router's explanation and
 * metrics, the tools an AI agent would see, and the Switchyard provider
 * packages installed next to core (found through the "switchyard" key in
 * their package.json, without importing them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHub, IntegrationError, VERSION, type ProviderV1 } from '@switchyard/core';
import { createMemoryStorageProvider } from '@switchyard/testing';

/** A provider that can be switched off: while down, every call fails with a network error. */
function withOutage(provider: ProviderV1): { provider: ProviderV1; setDown(down: boolean): void } {
  let down = false;
  return {
    provider: {
      ...provider,
      execute: (request, context) =>
        down
          ? Promise.reject(new IntegrationError({ kind: 'network', message: 'connect ECONNREFUSED (simulated outage)' }))
          : provider.execute(request, context),
    },
    setDown(value) {
      down = value;
    },
  };
}

function installedProviderPackages(): string[] {
  const scope = join(import.meta.dirname, '..', '..', 'node_modules', '@switchyard');
  return readdirSync(scope)
    .map((entry) => JSON.parse(readFileSync(join(scope, entry, 'package.json'), 'utf8')) as { name: string; version: string; switchyard?: { provider: string } })
    .filter((manifest) => manifest.switchyard?.provider !== undefined)
    .map((manifest) => `${manifest.name}@${manifest.version}`);
}

console.log(`Switchyard quickstart: @switchyard/core ${VERSION} on Node.js ${process.version}`);
console.log('A hub over two embedded (in-memory) storage providers; no external service.\n');

const primary = withOutage(createMemoryStorageProvider({ id: 'memory-primary', buckets: ['reports'] }));
const backup = withOutage(createMemoryStorageProvider({ id: 'memory-backup', buckets: ['reports'] }));
const hub = createHub({
  providers: [primary.provider, backup.provider],
  routing: { providers: { 'memory-primary': { weight: 2 } }, breaker: { consecutiveFailures: 3 }, retry: { retries: 0 } },
  events: {
    failover: (event) => console.log(`  event failover: ${event.from} -> ${event.to ?? '(none)'} after ${event.error.kind}`),
    breaker: (event) => console.log(`  event breaker: ${event.provider} ${event.from} -> ${event.to} (${event.reason})`),
  },
});

const put = (key: string) =>
  hub.execute({ capability: 'storage', operation: 'putObject', input: { bucket: 'reports', key, body: 'revenue,42\n', contentType: 'text/csv' } });

console.log('1. putObject with both providers up:');
console.log(`  served by ${(await put('2026/q3.csv')).provider}`);

console.log('\n2. memory-primary goes down; five more puts:');
primary.setDown(true);
for (let index = 1; index <= 5; index += 1) {
  const result = await put(`2026/q3-${index}.csv`);
  console.log(`  put #${index} served by ${result.provider} after ${result.failedAttempts.length} failed attempt(s)`);
}

console.log('\n3. how the router would route storage.getObject now (hub.explain):');
for (const candidate of hub.explain({ capability: 'storage', operation: 'getObject' }).candidates) {
  const score = candidate.score === undefined ? '' : ` score ${candidate.score.toFixed(3)}`;
  console.log(`  ${candidate.provider}: ${candidate.eligible ? `rank ${candidate.rank}` : `skipped (${candidate.reason})`}${score}, breaker ${candidate.breaker}`);
}

console.log('\n4. reading back through the typed facade, from wherever it is:');
const object = await hub.storage.getObject({ bucket: 'reports', key: '2026/q3-5.csv' });
console.log(`  ${object.key}: ${object.size} bytes, ${object.contentType}, body ${JSON.stringify(object.body)}`);

console.log('\n5. bad input fails before any provider is called:');
try {
  await hub.storage.putObject({ bucket: 'Not A Bucket', key: '', body: '' });
} catch (error) {
  if (!IntegrationError.isInstance(error)) throw error;
  console.log(`  ${error.kind}: ${error.message}`);
}

console.log('\n6. metrics (hub.metrics):');
for (const [provider, metrics] of Object.entries(hub.metrics())) {
  console.log(`  ${provider}: ${metrics.calls} calls, ${metrics.failures} failures, success rate ${metrics.successRate.toFixed(2)}, breaker ${metrics.breaker.state}`);
}

const tools = hub.tools.list();
console.log(`\n7. ${tools.length} tools for AI agents, e.g. ${tools.slice(0, 3).map((tool) => tool.name).join(', ')}`);

const packages = installedProviderPackages();
console.log(`\nProvider packages installed: ${packages.length === 0 ? 'none yet (npm run new-provider -- --name acme --category communication)' : packages.join(', ')}`);
await hub.close();
