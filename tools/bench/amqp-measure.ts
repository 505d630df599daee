/**
 * The AMQP half of `bench:agents`: commands/s through `createAmqpWorker` on
 * the local RabbitMQ, publish to result event, measured by a client in this
 * process. Exchanges and queues get a random suffix and are deleted after.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Hub } from '@switchyard/core';
import { createAmqpWorker } from '@switchyard/amqp';
import { createMemoryStore } from '@switchyard/platform';
import { connect } from 'amqplib';

/** The broker the bench uses: loopback only. */
export const BENCH_BROKER_URL = 'amqp://guest:guest@127.0.0.1:5672';

export interface AmqpMeasurement {
  readonly commands: number;
  readonly seconds: number;
  readonly commandsPerSecond: number;
  /** Commands whose event said `failed` (the bench expects 0). */
  readonly failed: number;
}

/** Why the broker cannot be used, or undefined when it answers. */
export async function brokerProblem(url = BENCH_BROKER_URL): Promise<string | undefined> {
  try {
    const connection = await connect(url, { timeout: 2_000 });
    await connection.close();
    return undefined;
  } catch (error) {
    return `no RabbitMQ at ${new URL(url).host} (${(error as Error).message})`;
  }
}

/**
 * Publishes `count` commands for `tool` (each with its own message id, on a
 * confirm channel, {@link window} in flight at most) and waits for every
 * result event; the clock runs from the first publish to the last event.
 * Rejects after `timeoutMs` so a stuck broker cannot hang the run.
 */
export async function measureAmqpCommands(options: {
  readonly hub: Hub;
  readonly tool: string;
  readonly parameters: Record<string, unknown>;
  readonly count: number;
  readonly prefetch?: number;
  readonly timeoutMs?: number;
  readonly url?: string;
}): Promise<AmqpMeasurement> {
  const url = options.url ?? BENCH_BROKER_URL;
  const suffix = randomBytes(6).toString('hex');
  const topology = {
    name: `bench-${suffix}`,
    commandsExchange: `bench.commands.${suffix}`,
    eventsExchange: `bench.events.${suffix}`,
    queue: `bench.commands.${suffix}`,
    deadLetterExchange: `bench.dead-letter.${suffix}`,
    deadLetterQueue: `bench.dead-letter.${suffix}`,
  };
  const store = createMemoryStore();
  const worker = createAmqpWorker({ hub: options.hub, store, url, prefetch: options.prefetch ?? 16, ...topology });
  const connection = await connect(url);
  try {
    await worker.start();
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, topology.eventsExchange, 'integrations.#');
    let received = 0;
    let failed = 0;
    let allReceived: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allReceived = resolve));
    await channel.consume(
      queue,
      (message) => {
        if (message === null) return;
        const event = JSON.parse(message.content.toString('utf8')) as { status: string };
        if (event.status !== 'completed') failed += 1;
        received += 1;
        if (received === options.count) allReceived();
      },
      { noAck: true },
    );

    const window = 256;
    const started = performance.now();
    let inFlight: Promise<void>[] = [];
    for (let index = 0; index < options.count; index += 1) {
      const body = { tool_name: options.tool, parameters: options.parameters, task_id: `bench-${suffix}`, step_id: String(index) };
      inFlight.push(
        new Promise<void>((resolve, reject) =>
          channel.publish(
            topology.commandsExchange,
            `integrations.${options.tool}`,
            Buffer.from(JSON.stringify(body)),
            { contentType: 'application/json', messageId: randomUUID() },
            (error: unknown) => (error === null || error === undefined ? resolve() : reject(new Error('publish not confirmed'))),
          ),
        ),
      );
      if (inFlight.length === window) {
        await Promise.all(inFlight);
        inFlight = [];
      }
    }
    await Promise.all(inFlight);
    let timer: NodeJS.Timeout | undefined;
    const timeoutMs = options.timeoutMs ?? 120_000;
    await Promise.race([
      done,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`only ${received} of ${options.count} result events within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    const seconds = (performance.now() - started) / 1000;
    return { commands: options.count, seconds, commandsPerSecond: options.count / seconds, failed };
  } finally {
    await worker.stop().catch(() => undefined);
    const cleanup = await connection.createChannel().catch(() => undefined);
    cleanup?.on('error', () => undefined);
    for (const queue of [topology.queue, topology.deadLetterQueue]) await cleanup?.deleteQueue(queue).catch(() => undefined);
    for (const exchange of [topology.commandsExchange, topology.eventsExchange, topology.deadLetterExchange]) {
      await cleanup?.deleteExchange(exchange).catch(() => undefined);
    }
    await connection.close().catch(() => undefined);
    await store.close();
  }
}
