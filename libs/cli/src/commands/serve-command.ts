import { createEventLog, createStorePlacements } from '@switchyard/platform';
import { createServer } from '@switchyard/server';
import type { Command } from '../cli-command';
import { createCliHub, openCliStore } from '../cli-environment';
import { CliUsageError, writeLine } from '../cli-io';
import { stopSignal } from '../stop-signal';

/** `SWITCHYARD_WEBHOOK_SECRET_GITHUB` and the like: the signing secret of a provider's inbound webhooks. */
export const WEBHOOK_SECRET_PREFIX = 'SWITCHYARD_WEBHOOK_SECRET_';

/** The environment variable holding `providerId`'s webhook secret: `github` → `SWITCHYARD_WEBHOOK_SECRET_GITHUB`. */
export function webhookSecretVariable(providerId: string): string {
  return `${WEBHOOK_SECRET_PREFIX}${providerId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

function parsePort(port: string | undefined): number {
  if (port === undefined) return 8080;
  const value = Number(port);
  if (!/^\d+$/.test(port) || value > 65_535)
    throw new CliUsageError({ message: `serve: --port must be a number from 0 to 65535; got "${port}"` });
  return value;
}

/**
 * `switchyard serve [--port N] [--host H] [--demo]`: the HTTP API of
 * `@switchyard/server` over the CLI's hub and store (SQLite in
 * `./.switchyard/`, PostgreSQL with `SWITCHYARD_DATABASE_URL`), on
 * 127.0.0.1:8080 by default, until SIGINT/SIGTERM; then it stops taking
 * connections and lets requests in flight finish. API keys come from
 * `switchyard keys create`; inbound webhook secrets from
 * `SWITCHYARD_WEBHOOK_SECRET_<PROVIDER>`. Hub events go to the store's event log (30 days).
 */
export const serveCommand: Command = async ({ io, flags, providers }) => {
  const port = parsePort(flags.port);
  const host = flags.host ?? '127.0.0.1';
  const { store, connectionString } = await openCliStore(io);
  try {
    const hub = await createCliHub(io, { demo: flags.demo, providers, hub: { placements: createStorePlacements(store) } });
    try {
      // On PostgreSQL, several `serve` processes share the outbound deliveries as pg-boss jobs.
      const jobs =
        connectionString === undefined
          ? undefined
          : (await import('@switchyard/store-postgres')).createPgBossWebhookJobs({ connectionString });
      const server = createServer({
        hub,
        platform: { store, webhookSecret: (providerId) => io.env[webhookSecretVariable(providerId)] ?? '' },
        outboundWebhooks: { jobs },
      });
      // Every hub event (breakers, failovers, inbound webhooks, ...) lands in the store's event log, kept 30 days.
      const eventLog = createEventLog({ hub, store });
      const url = await server.listen({ port, host });
      writeLine(
        io.stderr,
        `Switchyard server on ${url} (API reference ${url}/docs, dashboard ${url}/dashboard); SIGINT or SIGTERM stops it`,
      );
      if ((await store.apiKeys.list()).length === 0) {
        writeLine(io.stderr, 'No API keys yet: create one with switchyard keys create --name N --scope admin');
      }
      await stopSignal();
      writeLine(io.stderr, 'Stopping: finishing requests in flight');
      await server.close();
      await eventLog.close();
      return 0;
    } finally {
      await hub.close();
    }
  } finally {
    await store.close();
  }
};
