import type { Logger } from '@switchyard/core';
import { createMemoryStore } from '@switchyard/platform';
import { connect } from 'amqplib';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMAND_ENTITY } from './amqp-ledger';
import type { AmqpResultEvent } from './amqp-messages';
import {
  brokerAvailable,
  closeConnectionsNamed,
  connectTestClient,
  deleteTopology,
  rabbitmqctlAvailable,
  TEST_BROKER_URL,
  testHub,
  testTopology,
  type TestClient,
} from './amqp-test-broker';
import { createAmqpWorker, type AmqpWorker } from './amqp-worker';

const broker = await brokerAvailable();
const rabbitmqctl = broker && (await rabbitmqctlAvailable());

/** A logger that keeps each entry's `event` field and fields. */
function recordingLogger(): Logger & { readonly entries: Record<string, unknown>[]; count(event: string): number } {
  const entries: Record<string, unknown>[] = [];
  const keep = (fields: Record<string, unknown>): void => {
    entries.push(fields);
  };
  return {
    entries,
    debug: keep,
    info: keep,
    warn: keep,
    error: keep,
    count: (event) => entries.filter((entry) => entry['event'] === event).length,
  };
}

async function queueDepth(queue: string): Promise<number> {
  const connection = await connect(TEST_BROKER_URL);
  try {
    const channel = await connection.createChannel();
    return (await channel.checkQueue(queue)).messageCount;
  } finally {
    await connection.close();
  }
}

function eventsByCommand(events: readonly AmqpResultEvent[]): Map<string, AmqpResultEvent[]> {
  const byCommand = new Map<string, AmqpResultEvent[]>();
  for (const event of events) {
    const key = `${event.task_id}:${event.step_id}`;
    byCommand.set(key, [...(byCommand.get(key) ?? []), event]);
  }
  return byCommand;
}

describe.skipIf(!broker)('createAmqpWorker on the local RabbitMQ (amqp://127.0.0.1:5672)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
  });

  async function setUp(options: { readonly prefetch?: number } = {}) {
    const topology = testTopology();
    const { hub, ledger } = testHub();
    const store = createMemoryStore();
    const logger = recordingLogger();
    const worker: AmqpWorker = createAmqpWorker({
      hub,
      store,
      url: TEST_BROKER_URL,
      ...topology,
      prefetch: options.prefetch ?? 16,
      reconnect: { initialDelayMs: 50, maxDelayMs: 1_000 },
      logger,
    });
    cleanup.push(() => deleteTopology(topology));
    cleanup.push(() => store.close());
    cleanup.push(() => hub.close());
    await worker.start();
    cleanup.push(() => worker.stop());
    const client: TestClient = await connectTestClient(topology);
    cleanup.push(() => client.close());
    return { topology, hub, ledger, store, logger, worker, client };
  }

  it.skipIf(!rabbitmqctl)(
    'answers 1,000 commands exactly once each while its connection is force-closed twice, running the non-idempotent tool once per command',
    async () => {
      const { topology, ledger, logger, worker, client } = await setUp();
      const total = 1_000;
      await Promise.all(
        Array.from({ length: total }, (_, index) =>
          client.publish(
            'integrations.ledger',
            { tool_name: 'ledger_append', parameters: { key: `entry-${index}` }, task_id: `task-${index}`, step_id: 'append' },
            `command-${index}`,
          ),
        ),
      );
      for (const threshold of [250, 600]) {
        await client.waitFor(() => client.events.length >= threshold);
        // Park the tool so commands are mid-call, unpublished and unacknowledged when the broker drops the worker.
        const hold = ledger.hold();
        await hold.started;
        expect(await closeConnectionsNamed(topology.name)).toBe(1);
        hold.release();
        await client.waitFor(() => logger.count('connected') >= (threshold === 250 ? 2 : 3));
      }
      await client.waitFor(() => eventsByCommand(client.events).size >= total);
      await worker.stop();

      const byCommand = eventsByCommand(client.events);
      expect(byCommand.size).toBe(total);
      expect([...byCommand.values()].filter((events) => events.length !== 1)).toEqual([]);
      expect(client.events.every((event) => event.status === 'completed')).toBe(true);
      expect(ledger.executions.size).toBe(total);
      expect([...ledger.executions.values()].filter((count) => count !== 1)).toEqual([]);
      expect(logger.count('reconnecting')).toBeGreaterThanOrEqual(2);
      expect(logger.count('republished')).toBeGreaterThan(0);
      expect(await queueDepth(topology.queue)).toBe(0);
      expect(client.eventMessageIds.slice(0, 1)[0]).toMatch(/^command-\d+$/);
    },
    120_000,
  );

  it('sends poison messages to the dead-letter queue with a failed event each, and keeps working', async () => {
    const { topology, ledger, client } = await setUp();
    await client.publish('integrations.bad', Buffer.from('{not json'), 'poison-json');
    await client.publish('integrations.bad', { tool_name: 'no_such_tool', parameters: {}, task_id: 'task-unknown', step_id: 's' });
    await client.publish('integrations.bad', {
      tool_name: 'ledger_append',
      parameters: { key: '' },
      task_id: 'task-invalid',
      step_id: 's',
    });
    await client.publish('integrations.bad', { tool_name: 'ledger_append', parameters: { key: 'x' }, step_id: 's' });
    await client.publish('integrations.good', {
      tool_name: 'ledger_append',
      parameters: { key: 'fine' },
      task_id: 'task-good',
      step_id: 's',
    });
    await client.waitFor(() => client.events.length >= 5);

    const failed = client.events.filter((event) => event.status === 'failed');
    expect(
      failed.map((event) => [
        event.task_id,
        event.status === 'failed' && event.error.kind,
        event.status === 'failed' && event.error.retryable,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [null, 'validation', false],
        ['task-unknown', 'unsupported', false],
        ['task-invalid', 'validation', false],
        [null, 'validation', false],
      ]),
    );
    expect(failed).toHaveLength(4);
    expect(client.events.find((event) => event.task_id === 'task-good')).toMatchObject({
      status: 'completed',
      result: { key: 'fine', count: 1 },
    });
    expect([...ledger.executions.keys()]).toEqual(['fine']);
    const deadLetters: string[] = [];
    for (let attempt = 0; deadLetters.length < 4 && attempt < 200; attempt++) {
      deadLetters.push(...(await client.deadLetters()));
      if (deadLetters.length < 4) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(deadLetters).toHaveLength(4);
    expect(deadLetters).toContain('{not json');
    expect(await queueDepth(topology.queue)).toBe(0);
  }, 60_000);

  it('does not run a command again when a worker died during it: it publishes a failed event saying the outcome is unknown', async () => {
    const { topology, ledger, store, client } = await setUp();
    await store.records.upsert({
      integrationId: topology.name,
      entity: COMMAND_ENTITY,
      externalId: 'command-interrupted',
      data: { state: 'running' },
    });
    await client.publish(
      'integrations.ledger',
      { tool_name: 'ledger_append', parameters: { key: 'interrupted' }, task_id: 'task-interrupted', step_id: 's' },
      'command-interrupted',
    );
    await client.waitFor(() => client.events.length >= 1);

    expect(client.events[0]).toMatchObject({
      task_id: 'task-interrupted',
      status: 'failed',
      error: { kind: 'unknown_outcome', retryable: false },
    });
    expect(ledger.executions.size).toBe(0);
    // The record says `published` once the broker confirmed the event, which may be just after the event arrives here.
    await client.waitFor(
      async () => (await store.records.get(topology.name, COMMAND_ENTITY, 'command-interrupted')).data['state'] === 'published',
    );
    expect(await queueDepth(topology.queue)).toBe(0);
  }, 60_000);

  it('drains a command in flight on stop: its result is published and it is acknowledged', async () => {
    const { topology, ledger, logger, worker, client } = await setUp();
    const hold = ledger.hold();
    await client.publish('integrations.ledger', {
      tool_name: 'ledger_append',
      parameters: { key: 'slow' },
      task_id: 'task-slow',
      step_id: 's',
    });
    await hold.started;
    const stopped = worker.stop();
    await client.waitFor(() => logger.count('draining') === 1);
    await client.publish('integrations.ledger', {
      tool_name: 'ledger_append',
      parameters: { key: 'late' },
      task_id: 'task-late',
      step_id: 's',
    });
    hold.release();
    await stopped;
    await client.waitFor(() => client.events.length >= 1);

    expect(client.events.map((event) => [event.task_id, event.status])).toEqual([['task-slow', 'completed']]);
    expect(await queueDepth(topology.queue)).toBe(1);
    expect([...ledger.executions.keys()]).toEqual(['slow']);
  }, 60_000);
});
