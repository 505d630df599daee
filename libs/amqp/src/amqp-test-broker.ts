import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { createHub, type Hub, type ProviderV1 } from '@switchyard/core';
import { createMemoryStorageProvider } from '@switchyard/core/testing';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { z } from 'zod';
import type { AmqpResultEvent } from './amqp-messages';
import type { AmqpWorkerOptions } from './amqp-worker';

const run = promisify(execFile);

/** The local broker the tests use. */
export const TEST_BROKER_URL = 'amqp://guest:guest@127.0.0.1:5672';

/** Whether RabbitMQ answers at {@link TEST_BROKER_URL}; prints what is missing when it does not. */
export async function brokerAvailable(): Promise<boolean> {
  try {
    const connection = await connect(TEST_BROKER_URL, { timeout: 2_000 });
    await connection.close();
    return true;
  } catch (error) {
    console.warn(`Skipping the AMQP worker tests: no RabbitMQ at amqp://127.0.0.1:5672 (${(error as Error).message})`);
    return false;
  }
}

/** Exchange and queue names unique to one test, and the worker options that use them. */
export function testTopology(): Required<
  Pick<AmqpWorkerOptions, 'name' | 'commandsExchange' | 'eventsExchange' | 'queue' | 'deadLetterExchange' | 'deadLetterQueue'>
> {
  const suffix = randomBytes(6).toString('hex');
  return {
    name: `amqp-test-${suffix}`,
    commandsExchange: `commands.exchange.${suffix}`,
    eventsExchange: `events.exchange.${suffix}`,
    queue: `switchyard.commands.${suffix}`,
    deadLetterExchange: `commands.dead-letter.${suffix}`,
    deadLetterQueue: `commands.dead-letter.${suffix}`,
  };
}

/** Deletes a topology's exchanges and queues; never throws. */
export async function deleteTopology(topology: ReturnType<typeof testTopology>): Promise<void> {
  try {
    const connection = await connect(TEST_BROKER_URL);
    try {
      for (const queue of [topology.queue, topology.deadLetterQueue]) {
        const channel = await connection.createChannel();
        await channel.deleteQueue(queue).catch(() => undefined);
        await channel.close().catch(() => undefined);
      }
      for (const exchange of [topology.commandsExchange, topology.eventsExchange, topology.deadLetterExchange]) {
        const channel = await connection.createChannel();
        await channel.deleteExchange(exchange).catch(() => undefined);
        await channel.close().catch(() => undefined);
      }
    } finally {
      await connection.close().catch(() => undefined);
    }
  } catch {
    // Cleanup is best effort.
  }
}

/** Closes, from the broker's side, every connection whose client named itself `connectionName`; resolves with how many. */
export async function closeConnectionsNamed(connectionName: string): Promise<number> {
  const { stdout } = await run('rabbitmqctl', ['list_connections', '--no-table-headers', '-q', 'pid', 'client_properties']);
  const pids = stdout
    .split('\n')
    .filter((line) => line.includes(`{"connection_name","${connectionName}"}`))
    .map((line) => line.split('\t')[0] ?? '');
  for (const pid of pids) await run('rabbitmqctl', ['close_connection', pid, 'test']);
  return pids.length;
}

/** Whether `rabbitmqctl` can be run here. */
export async function rabbitmqctlAvailable(): Promise<boolean> {
  try {
    await run('rabbitmqctl', ['list_connections', '-q', 'pid']);
    return true;
  } catch {
    console.warn('Skipping the forced-close test: rabbitmqctl is not available');
    return false;
  }
}

/** A publisher on a confirm channel and a consumer of every result event (and of the dead-letter queue). */
export interface TestClient {
  readonly events: AmqpResultEvent[];
  /** The AMQP `messageId` of each event, in the order received. */
  readonly eventMessageIds: (string | undefined)[];
  publish(routingKey: string, body: unknown, messageId?: string): Promise<void>;
  /** Resolves when `predicate` holds for the events received so far (polled; bounded by the test's timeout). */
  waitFor(predicate: () => boolean | Promise<boolean>): Promise<void>;
  deadLetters(): Promise<string[]>;
  close(): Promise<void>;
}

/** Connects a {@link TestClient}; the events queue is exclusive to it and goes away with it. */
export async function connectTestClient(topology: ReturnType<typeof testTopology>): Promise<TestClient> {
  const connection: ChannelModel = await connect(TEST_BROKER_URL);
  const channel: ConfirmChannel = await connection.createConfirmChannel();
  await channel.assertExchange(topology.commandsExchange, 'topic', { durable: true });
  await channel.assertExchange(topology.eventsExchange, 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true });
  await channel.bindQueue(queue, topology.eventsExchange, 'integrations.#');
  const events: AmqpResultEvent[] = [];
  const eventMessageIds: (string | undefined)[] = [];
  await channel.consume(
    queue,
    (message) => {
      if (message === null) return;
      events.push(JSON.parse(message.content.toString('utf8')) as AmqpResultEvent);
      eventMessageIds.push(message.properties.messageId as string | undefined);
    },
    { noAck: true },
  );
  return {
    events,
    eventMessageIds,
    publish: (routingKey, body, messageId) =>
      new Promise<void>((resolve, reject) => {
        const content = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
        channel.publish(
          topology.commandsExchange,
          routingKey,
          content,
          { persistent: true, ...(messageId === undefined ? {} : { messageId }) },
          (error: unknown) =>
            error === null || error === undefined
              ? resolve()
              : reject(error instanceof Error ? error : new Error('The broker did not confirm the command')),
        );
      }),
    async waitFor(predicate) {
      while (!(await predicate())) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    async deadLetters() {
      const bodies: string[] = [];
      for (
        let message = await channel.get(topology.deadLetterQueue, { noAck: true });
        message !== false;
        message = await channel.get(topology.deadLetterQueue, { noAck: true })
      ) {
        bodies.push(message.content.toString('utf8'));
      }
      return bodies;
    },
    async close() {
      await connection.close().catch(() => undefined);
    },
  };
}

/** A provider with one non-idempotent operation, `ledger_append`, that counts its executions per key; `hold` parks calls until released. */
export interface LedgerProvider extends ProviderV1 {
  readonly executions: Map<string, number>;
  /** While set, calls wait for it; `release()` lets them go. */
  hold(): { readonly started: Promise<void>; release(): void };
}

function ledgerProvider(): LedgerProvider {
  const executions = new Map<string, number>();
  let gate: { started: () => void; released: Promise<void> } | undefined;
  return {
    ...createMemoryStorageProvider({ id: 'ledger', buckets: ['reports'] }),
    executions,
    hold() {
      let started!: () => void;
      let release!: () => void;
      const startedPromise = new Promise<void>((resolve) => (started = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      gate = { started, released };
      return {
        started: startedPromise,
        release: () => {
          gate = undefined;
          release();
        },
      };
    },
    operations: {
      append: {
        description: 'Appends an entry to a ledger: not idempotent, every call adds one.',
        input: z.object({ key: z.string().min(1) }),
        output: z.object({ key: z.string(), count: z.number() }),
        hints: { readOnly: false, destructive: false, idempotent: false },
        async execute(input: { key: string }) {
          const count = (executions.get(input.key) ?? 0) + 1;
          executions.set(input.key, count);
          const current = gate;
          if (current !== undefined) {
            current.started();
            await current.released;
          }
          return { key: input.key, count };
        },
      },
    },
  };
}

/** A hub of core's in-memory storage provider plus the counting {@link LedgerProvider}. */
export function testHub(): { readonly hub: Hub; readonly ledger: LedgerProvider } {
  const ledger = ledgerProvider();
  const hub = createHub({
    providers: [createMemoryStorageProvider({ id: 'memory', buckets: ['reports'] }), ledger],
    routing: { retry: { retries: 0 } },
  });
  return { hub, ledger };
}
