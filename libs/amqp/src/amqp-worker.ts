import { setTimeout as sleep } from 'node:timers/promises';
import { IntegrationError, silentLogger, type Hub, type Logger } from '@switchyard/core';
import type { Store } from '@switchyard/platform';
import { connect, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import { CommandLedger, type CommandEntry } from './amqp-ledger';
import { eventError, eventRoutingKey, parseCommand, type AmqpCommand, type AmqpResultEvent } from './amqp-messages';

/** The environment variable {@link createAmqpWorker} reads the broker URL from when `url` is not given. */
export const AMQP_URL_VARIABLE = 'SWITCHYARD_AMQP_URL';

/** Settings of {@link createAmqpWorker}. */
export interface AmqpWorkerOptions {
  /** Runs the tools (`hub.tools.callTool`). */
  readonly hub: Pick<Hub, 'tools'>;
  /** Holds one dedupe record per command (entity `amqp-command` of the integration named {@link name}). */
  readonly store: Pick<Store, 'integrations' | 'records'>;
  /** The broker. Default: env `SWITCHYARD_AMQP_URL`, else `amqp://127.0.0.1:5672`. */
  readonly url?: string | undefined;
  /** The worker's name: the integration id its dedupe records live under and the AMQP connection name. Default `amqp-worker`. */
  readonly name?: string | undefined;
  /** The topic exchange commands arrive on. Default `commands.exchange`. */
  readonly commandsExchange?: string | undefined;
  /** The topic exchange result events go to. Default `events.exchange`. */
  readonly eventsExchange?: string | undefined;
  /** The durable queue the worker consumes. Default `switchyard.commands`. */
  readonly queue?: string | undefined;
  /** The binding of {@link queue} to the commands exchange. Default `integrations.*`. */
  readonly bindingKey?: string | undefined;
  /** The fanout exchange rejected commands go to. Default `commands.dead-letter`. */
  readonly deadLetterExchange?: string | undefined;
  /** The durable queue bound to it. Default `commands.dead-letter`. */
  readonly deadLetterQueue?: string | undefined;
  /** Commands in flight at once (AMQP prefetch). Default 16. */
  readonly prefetch?: number | undefined;
  /** Reconnect backoff: first delay, doubling up to `maxDelayMs`, each with up to 50% jitter. Default 100 ms to 30 s. */
  readonly reconnect?: { readonly initialDelayMs?: number | undefined; readonly maxDelayMs?: number | undefined } | undefined;
  /** Where `connected`, `reconnecting`, `dead-lettered` and the like are logged (field `event`). Default: dropped. */
  readonly logger?: Logger | undefined;
}

/** A running worker. */
export interface AmqpWorker {
  /** Connects, declares the exchanges and queues, and starts consuming. Rejects when the first connection fails. */
  start(): Promise<void>;
  /** Stops consuming, waits for the commands in flight to be published and acknowledged, then disconnects. Safe to call twice. */
  stop(): Promise<void>;
}

interface Session {
  readonly connection: ChannelModel;
  readonly channel: ConfirmChannel;
  consumerTag: string | undefined;
}

/** The broker's address without credentials, for logs and errors. */
function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'the configured AMQP URL';
  }
}

function publishConfirmed(channel: ConfirmChannel, exchange: string, event: AmqpResultEvent, messageId: string | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    channel.publish(
      exchange,
      eventRoutingKey(event),
      Buffer.from(JSON.stringify(event)),
      { contentType: 'application/json', persistent: true, ...(messageId === undefined ? {} : { messageId }) },
      (error: unknown) =>
        error === null || error === undefined
          ? resolve()
          : reject(error instanceof Error ? error : new Error('The broker did not confirm the event')),
    );
  });
}

/**
 * A message-bus worker: consumes tool commands from RabbitMQ, runs each
 * through `hub.tools.callTool`, and publishes its result event, at least
 * once and never running a command twice. Commands are acknowledged only
 * after their event is confirmed; redelivered ones are deduplicated by message
 * id (AMQP `messageId`, else `task_id:step_id`) in the store. Malformed
 * commands, unknown tools and invalid parameters get a `failed` event and are
 * dead-lettered. After a lost connection it reconnects with backoff.
 *
 * @example
 * ```ts
 * const worker = createAmqpWorker({ hub, store, url: 'amqp://127.0.0.1:5672' });
 * await worker.start();
 * process.once('SIGTERM', () => void worker.stop());
 * ```
 */
export function createAmqpWorker(options: AmqpWorkerOptions): AmqpWorker {
  const url = options.url ?? process.env[AMQP_URL_VARIABLE] ?? 'amqp://127.0.0.1:5672';
  const name = options.name ?? 'amqp-worker';
  const commandsExchange = options.commandsExchange ?? 'commands.exchange';
  const eventsExchange = options.eventsExchange ?? 'events.exchange';
  const queue = options.queue ?? 'switchyard.commands';
  const bindingKey = options.bindingKey ?? 'integrations.*';
  const deadLetterExchange = options.deadLetterExchange ?? 'commands.dead-letter';
  const deadLetterQueue = options.deadLetterQueue ?? 'commands.dead-letter';
  const prefetch = options.prefetch ?? 16;
  const initialDelayMs = options.reconnect?.initialDelayMs ?? 100;
  const maxDelayMs = options.reconnect?.maxDelayMs ?? 30_000;
  const logger = options.logger ?? silentLogger;
  const ledger = new CommandLedger(options.store, name);
  const broker = safeUrl(url);

  let session: Session | undefined;
  let stopping = false;
  let started = false;
  let reconnecting: Promise<void> | undefined;
  let stopped: Promise<void> | undefined;
  let wake = new AbortController();
  /** Commands being handled in this process, by message id: a redelivery waits for the original. */
  const inFlight = new Map<string, Promise<void>>();
  const handlers = new Set<Promise<void>>();

  async function open(): Promise<void> {
    const connection = await connect(url, { clientProperties: { connection_name: name } });
    connection.on('error', (error: Error) =>
      logger.warn({ event: 'connection-error', broker, message: error.message }, 'AMQP connection error'),
    );
    try {
      const channel = await connection.createConfirmChannel();
      channel.on('error', (error: Error) => logger.warn({ event: 'channel-error', broker, message: error.message }, 'AMQP channel error'));
      await channel.assertExchange(commandsExchange, 'topic', { durable: true });
      await channel.assertExchange(eventsExchange, 'topic', { durable: true });
      await channel.assertExchange(deadLetterExchange, 'fanout', { durable: true });
      await channel.assertQueue(deadLetterQueue, { durable: true });
      await channel.bindQueue(deadLetterQueue, deadLetterExchange, '');
      await channel.assertQueue(queue, { durable: true, arguments: { 'x-dead-letter-exchange': deadLetterExchange } });
      await channel.bindQueue(queue, commandsExchange, bindingKey);
      await channel.prefetch(prefetch);
      const current: Session = { connection, channel, consumerTag: undefined };
      session = current;
      connection.on('close', () => {
        if (session === current) session = undefined;
        if (!stopping) reconnect();
      });
      channel.on('close', () => {
        if (!stopping) void connection.close().catch(() => undefined);
      });
      const { consumerTag } = await channel.consume(queue, (message) => {
        if (message !== null) track(handle(channel, message));
      });
      current.consumerTag = consumerTag;
      logger.info({ event: 'connected', broker, queue }, 'AMQP worker connected');
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
  }

  function reconnect(): void {
    if (reconnecting !== undefined) return;
    reconnecting = (async () => {
      for (let attempt = 0; !stopping; attempt++) {
        const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** attempt) * (0.5 + Math.random() * 0.5);
        logger.warn(
          { event: 'reconnecting', broker, attempt: attempt + 1, delayMs: Math.round(delay) },
          'AMQP connection lost; reconnecting',
        );
        await sleep(delay, undefined, { signal: wake.signal }).catch(() => undefined);
        if (stopping) return;
        try {
          await open();
          return;
        } catch (error) {
          logger.warn({ event: 'connect-failed', broker, message: (error as Error).message }, 'AMQP reconnect failed');
        }
      }
    })().finally(() => {
      reconnecting = undefined;
    });
  }

  function track(handler: Promise<void>): void {
    handlers.add(handler);
    void handler.finally(() => handlers.delete(handler));
  }

  async function handle(channel: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    try {
      const parsed = parseCommand(message.content);
      if (!parsed.ok) {
        const event: AmqpResultEvent = {
          ...parsed.partial,
          status: 'failed',
          error: { kind: 'validation', message: parsed.reason, retryable: false },
          timestamp: new Date().toISOString(),
        };
        await publishConfirmed(channel, eventsExchange, event, message.properties.messageId as string | undefined);
        settle(channel, message, event, true);
        return;
      }
      const { command } = parsed;
      const messageId = (message.properties.messageId as string | undefined) ?? `${command.task_id}:${command.step_id}`;
      for (let earlier = inFlight.get(messageId); earlier !== undefined; earlier = inFlight.get(messageId)) await earlier;
      const run = processCommand(channel, message, command, messageId);
      inFlight.set(messageId, run);
      try {
        await run;
      } finally {
        if (inFlight.get(messageId) === run) inFlight.delete(messageId);
      }
    } catch (error) {
      if (session?.channel !== channel) {
        logger.info({ event: 'ack-lost', message: (error as Error).message }, 'AMQP channel closed mid-command; the broker redelivers it');
        return;
      }
      logger.error({ event: 'handler-failed', message: (error as Error).message }, 'AMQP command could not be handled; it stays queued');
      await sleep(1_000);
      try {
        channel.nack(message, false, true);
      } catch {
        // The channel is gone: the broker redelivers the command anyway.
      }
    }
  }

  async function processCommand(channel: ConfirmChannel, message: ConsumeMessage, command: AmqpCommand, messageId: string): Promise<void> {
    const claim = await ledger.claim(messageId);
    let entry: CommandEntry;
    if (claim.first) {
      entry = await runTool(command);
      await ledger.save(messageId, entry);
    } else if (claim.entry.state === 'running') {
      entry = {
        state: 'done',
        deadLetter: false,
        event: {
          ...identity(command),
          status: 'failed',
          error: {
            kind: 'unknown_outcome',
            message: 'A worker stopped while running this command; whether it took effect is unknown, so it was not run again',
            retryable: false,
          },
          timestamp: new Date().toISOString(),
        },
      };
      logger.warn(
        { event: 'unknown-outcome', messageId, tool: command.tool_name },
        'AMQP command was interrupted earlier; not running it again',
      );
      await ledger.save(messageId, entry);
    } else {
      entry = claim.entry;
    }
    if (entry.state === 'running') return;
    if (entry.state === 'done') {
      if (!claim.first)
        logger.info({ event: 'republished', messageId, tool: command.tool_name }, 'AMQP command redelivered; publishing its stored result');
      await publishConfirmed(channel, eventsExchange, entry.event, messageId);
      entry = { ...entry, state: 'published' };
      await ledger.save(messageId, entry);
    } else {
      logger.info({ event: 'duplicate', messageId, tool: command.tool_name }, 'AMQP command redelivered after its result was published');
    }
    settle(channel, message, entry.event, entry.deadLetter);
  }

  async function runTool(command: AmqpCommand): Promise<CommandEntry & { readonly state: 'done' }> {
    const timestamp = (): string => new Date().toISOString();
    if (options.hub.tools.get(command.tool_name) === undefined) {
      const error = new IntegrationError({
        kind: 'unsupported',
        message: `No tool named "${command.tool_name}"`,
        operation: command.tool_name,
      });
      return {
        state: 'done',
        deadLetter: true,
        event: { ...identity(command), status: 'failed', error: eventError(error), timestamp: timestamp() },
      };
    }
    try {
      const result: unknown = await options.hub.tools.callTool(command.tool_name, command.parameters);
      const json: unknown = result === undefined ? null : JSON.parse(JSON.stringify(result));
      return {
        state: 'done',
        deadLetter: false,
        event: { ...identity(command), status: 'completed', result: json, timestamp: timestamp() },
      };
    } catch (error) {
      const rejected =
        IntegrationError.isInstance(error) && error.kind === 'validation' && error.attempts.every((attempt) => attempt.attempt === 0);
      return {
        state: 'done',
        deadLetter: rejected,
        event: { ...identity(command), status: 'failed', error: eventError(error), timestamp: timestamp() },
      };
    }
  }

  function settle(channel: ConfirmChannel, message: ConsumeMessage, event: AmqpResultEvent, deadLetter: boolean): void {
    try {
      if (deadLetter) {
        channel.nack(message, false, false);
        logger.warn(
          { event: 'dead-lettered', tool: event.tool_name, reason: event.status === 'failed' ? event.error.message : undefined },
          'AMQP command dead-lettered',
        );
      } else {
        channel.ack(message);
      }
    } catch {
      logger.info(
        { event: 'ack-lost', tool: event.tool_name },
        'AMQP channel closed before the acknowledgement; the broker redelivers the command',
      );
    }
  }

  async function stopNow(): Promise<void> {
    stopping = true;
    wake.abort();
    // A reconnect under way finishes (or gives up) first, so its session is the one stopped.
    await reconnecting;
    const current = session;
    if (current?.consumerTag !== undefined) await current.channel.cancel(current.consumerTag).catch(() => undefined);
    logger.info({ event: 'draining', inFlight: handlers.size }, 'AMQP worker stopped consuming; draining commands in flight');
    while (handlers.size > 0) await Promise.allSettled([...handlers]);
    if (current !== undefined) {
      await current.channel.close().catch(() => undefined);
      await current.connection.close().catch(() => undefined);
    }
    session = undefined;
    started = false;
    logger.info({ event: 'stopped', broker }, 'AMQP worker stopped');
  }

  return {
    async start() {
      if (started) return;
      started = true;
      stopping = false;
      stopped = undefined;
      wake = new AbortController();
      await ledger.prepare();
      try {
        await open();
      } catch (error) {
        started = false;
        throw new IntegrationError({
          kind: 'network',
          message: `Cannot connect to the AMQP broker at ${broker}: ${(error as Error).message}`,
        });
      }
    },
    stop() {
      stopped ??= stopNow();
      return stopped;
    },
  };
}

function identity(command: AmqpCommand): { readonly task_id: string; readonly step_id: string; readonly tool_name: string } {
  return { task_id: command.task_id, step_id: command.step_id, tool_name: command.tool_name };
}
