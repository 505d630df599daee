// A dispatcher process for the kill test (sqlite-webhooks.test.ts): it opens the SQLite file, subscribes `url`,
// queues `count` deliveries, prints their ids as one JSON line and dispatches until it is killed.
// It runs the built packages (dist), as a host would: build this package before its tests.
import process from 'node:process';
import { createWebhookDispatcher } from '@switchyard/platform';
import { createSqliteStore } from '../../dist/index.js';

const [path, url, count] = process.argv.slice(2);
const store = createSqliteStore({ path });
const dispatcher = createWebhookDispatcher({
  store,
  allowPrivateNetwork: true,
  concurrency: 2,
  pollIntervalMs: 10,
  leaseMs: 1500,
  timeoutMs: 10_000,
  retry: { maxAttempts: 1000, minDelayMs: 10, maxDelayMs: 20 },
});
await store.webhookSubscriptions.create({ id: 'killed', workspaceId: 'acme', url, eventTypes: ['*'] });
const ids = [];
for (let index = 0; index < Number(count); index += 1) {
  ids.push(...(await dispatcher.publish({ workspaceId: 'acme', type: 'kill.test', payload: { index } })));
}
process.stdout.write(`${JSON.stringify({ ids })}\n`);
dispatcher.start();
