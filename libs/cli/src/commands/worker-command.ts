import type { Logger } from '@switchyard/core';
import { AMQP_URL_VARIABLE, createAmqpWorker } from '@switchyard/amqp';
import { createStorePlacements } from '@switchyard/platform';
import type { Command } from '../cli-command';
import { createCliHub, openCliStore } from '../cli-environment';
import { writeLine, type CliOutput } from '../cli-io';
import { stopSignal } from '../stop-signal';

/** The broker `switchyard worker` uses without `--url` and `SWITCHYARD_AMQP_URL`. */
export const DEFAULT_AMQP_URL = 'amqp://127.0.0.1:5672';

/** One line per worker event on stderr: `worker: <message> (field=value, ...)`; debug entries are dropped. */
function stderrLogger(stderr: CliOutput): Logger {
  const line = (fields: Record<string, unknown>, message?: string): void => {
    const details = Object.entries(fields)
      .filter(([name, value]) => name !== 'event' && value !== undefined)
      .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(', ');
    writeLine(stderr, `worker: ${message ?? String(fields['event'])}${details === '' ? '' : ` (${details})`}`);
  };
  return { debug: () => undefined, info: line, warn: line, error: line };
}

/**
 * `switchyard worker [--url amqp://...] [--demo]`: consumes tool commands
 * from RabbitMQ (`commands.exchange`, binding `integrations.*`) and publishes
 * their results to `events.exchange`, over the CLI's hub and store (dedupe
 * records live in the store), until SIGINT/SIGTERM, then stops gracefully:
 * commands in flight are finished, published and acknowledged. The URL comes
 * from `--url`, else `SWITCHYARD_AMQP_URL`, else `amqp://127.0.0.1:5672`.
 */
export const workerCommand: Command = async ({ io, flags, providers }) => {
  const url = flags.url ?? (io.env[AMQP_URL_VARIABLE] || undefined) ?? DEFAULT_AMQP_URL;
  const { store } = await openCliStore(io);
  try {
    const hub = await createCliHub(io, { demo: flags.demo, providers, hub: { placements: createStorePlacements(store) } });
    try {
      const worker = createAmqpWorker({ hub, store, url, logger: stderrLogger(io.stderr) });
      await worker.start();
      writeLine(io.stderr, `Switchyard worker running, ${hub.tools.list().length} tools; SIGINT or SIGTERM stops it`);
      await stopSignal();
      await worker.stop();
      return 0;
    } finally {
      await hub.close();
    }
  } finally {
    await store.close();
  }
};
