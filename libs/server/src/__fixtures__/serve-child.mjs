// A server process for the outbound-webhook kill test (outbound-webhooks.test.ts): it opens the SQLite file
// given, serves the HTTP API with a memory storage provider, delivers outbound webhooks to loopback
// subscribers with short retry delays, prints its URL as one JSON line and runs until it is killed.
// It runs the built packages (dist), as a host would.
import process from 'node:process';
import { createHub } from '@switchyard/core';
import { createMemoryStorageProvider } from '@switchyard/core/testing';
import { createSqliteStore } from '@switchyard/store-sqlite';
import { createServer } from '../../dist/index.js';

const [path] = process.argv.slice(2);
const store = createSqliteStore({ path });
const hub = createHub({ providers: [createMemoryStorageProvider({ id: 'backup', buckets: ['reports'] })] });
const server = createServer({
  hub,
  platform: { store },
  rateLimit: false,
  outboundWebhooks: {
    allowPrivateNetwork: true,
    retry: { maxAttempts: 1000, minDelayMs: 20, maxDelayMs: 100 },
    // A crashed process's claims come free after 2 s, not the default 40 s.
    timeoutMs: 1000,
    leaseMs: 2000,
  },
});
const url = await server.listen();
process.stdout.write(`${JSON.stringify({ url })}\n`);
