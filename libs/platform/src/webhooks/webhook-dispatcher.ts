import { createHash, randomUUID } from 'node:crypto';
import { IntegrationError, silentLogger, type Logger } from '@switchyard/core';
import { Webhook } from 'standardwebhooks';
import type { Store } from '../store/store';
import type { JsonObject, WebhookAttemptOutcome, WebhookOutboxRecord, WebhookSubscriptionRecord } from '../store/store-records';
import type { WebhookAttempt } from '../store/store-webhooks';
import { VERSION } from '../version';
import {
  classifyWebhookStatus,
  resolveWebhookRetry,
  webhookBackoffMs,
  webhookRetryAfterMs,
  type WebhookRetryOptions,
} from './webhook-retry';
import type { WebhookJobQueue } from './webhook-jobs';
import { checkSubscriptionUrl } from './webhook-url';

/** An event to send to a workspace's subscribers, see {@link WebhookDispatcher.publish}. */
export interface OutboundWebhookEvent {
  readonly workspaceId: string;
  /** The event type subscribers choose by, e.g. `integration.created`. */
  readonly type: string;
  /** The body's `data`. */
  readonly payload: JsonObject;
  /**
   * The event's own id. When given, the delivery ids derive from it and the
   * subscription, so publishing the same event again queues nothing new.
   * Default: every publish queues new deliveries.
   */
  readonly id?: string | undefined;
}

/** What {@link WebhookDispatcher.runOnce} did. */
export interface WebhookDispatchReport {
  readonly claimed: number;
  readonly delivered: number;
  readonly retried: number;
  readonly failed: number;
}

/** Options of {@link createWebhookDispatcher}. */
export interface WebhookDispatcherOptions {
  /** Where subscriptions are read and deliveries queued, claimed and logged. */
  readonly store: Pick<Store, 'webhookSubscriptions' | 'webhookOutbox'>;
  /** Sends the requests. Default: the global `fetch`. */
  readonly fetch?: typeof fetch | undefined;
  /** Epoch milliseconds, for due times, leases and signatures. Default: `Date.now`. */
  readonly clock?: (() => number) | undefined;
  /**
   * Deliver to loopback, private and link-local addresses and over plain
   * `http:`. Default: `false`: such deliveries are `failed` without a request.
   */
  readonly allowPrivateNetwork?: boolean | undefined;
  /** Default: 8 attempts, 1 s doubling to at most 1 h, with jitter. */
  readonly retry?: WebhookRetryOptions | undefined;
  /** How long one attempt may take, in milliseconds. Default: 10 000. */
  readonly timeoutMs?: number | undefined;
  /** Attempts in flight at once. Default: 4. */
  readonly concurrency?: number | undefined;
  /** How often a started dispatcher looks for due deliveries, in milliseconds. Default: 1 000. */
  readonly pollIntervalMs?: number | undefined;
  /**
   * How long a claim holds, in milliseconds: a delivery whose dispatcher died
   * mid-attempt is attempted again after it. Default: `timeoutMs` + 30 000.
   */
  readonly leaseMs?: number | undefined;
  /** How long {@link WebhookDispatcher.stop} waits for attempts in flight, in milliseconds. Default: `timeoutMs` + 5 000. */
  readonly stopTimeoutMs?: number | undefined;
  /** Receives one line per attempt and per store failure; never a secret. Default: none. */
  readonly logger?: Logger | undefined;
  /** A number in [0, 1) for the jitter. Default: `Math.random`. */
  readonly random?: (() => number) | undefined;
  /**
   * A job queue the deployment shares (pg-boss: `createPgBossWebhookJobs`):
   * every attempt becomes a job that one process runs when it is due, so
   * several server processes deliver without polling the store. The
   * dispatcher's own polling then only takes deliveries overdue by
   * `orphanAfterMs`, whose job was lost (a crash between queuing the delivery
   * and its job). Default: none, the dispatcher polls the store.
   */
  readonly jobs?: WebhookJobQueue | undefined;
  /** With `jobs`: how overdue a delivery must be before polling takes it anyway, in milliseconds. Default: 60 000. */
  readonly orphanAfterMs?: number | undefined;
}

/** Sends a store's outbound webhooks; see {@link createWebhookDispatcher}. */
export interface WebhookDispatcher {
  /** Queues one delivery per enabled subscription of the workspace that takes `event.type` (or `*`), and returns their ids. */
  publish(event: OutboundWebhookEvent): Promise<string[]>;
  /** Starts polling the queue every `pollIntervalMs` (and at once after `publish`). Safe to call twice. */
  start(): void;
  /** Stops polling and waits (at most `stopTimeoutMs`) for the attempts in flight. Safe to call twice. */
  stop(): Promise<void>;
  /** Claims up to `concurrency` due deliveries and attempts each once; for tests and job-queue adapters. */
  runOnce(): Promise<WebhookDispatchReport>;
}

const MAXIMUM_ERROR_LENGTH = 1000;
const positive = (value: number, name: string): number => {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number >= 1`);
  return value;
};

/** The delivery id of an event with an id: stable, so republishing it is a no-op. */
function deliveryIdFor(eventId: string | undefined, subscriptionId: string): string {
  if (eventId === undefined) return `msg_${randomUUID().replaceAll('-', '')}`;
  return `msg_${createHash('sha256').update(`${eventId}\u0000${subscriptionId}`).digest('base64url').slice(0, 32)}`;
}

/** Why a request failed, from the error and its cause (undici puts the socket error there). */
function describeFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'the request timed out';
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  return code === undefined ? message : `${message} (${code})`;
}

/**
 * The outbound webhook sender: `publish` queues deliveries in the store's
 * `webhookOutbox`; the dispatcher claims due ones (atomically, so several
 * processes may share a store), signs each the Standard Webhooks way with the
 * subscription's secret and POSTs `{ type, timestamp, data }` with the
 * headers `webhook-id` (the delivery id, the same on every attempt),
 * `webhook-timestamp` and `webhook-signature`. A 2xx is `delivered`; a
 * refusing 4xx is `failed`; anything else is retried with exponential backoff
 * and jitter (a longer `Retry-After` on 429/503 wins) until
 * `retry.maxAttempts`. Unless `allowPrivateNetwork`, every attempt first
 * checks that the host resolves to public addresses only and is `https:`.
 * Delivery is at least once: a dispatcher that dies mid-attempt leaves the
 * delivery claimed until its lease expires, and it is sent again, with the
 * same `webhook-id` for subscribers to dedupe by. Secrets never reach the
 * delivery log or the logger.
 *
 * @example
 * ```ts
 * const dispatcher = createWebhookDispatcher({ store, logger });
 * dispatcher.start();
 * await dispatcher.publish({ workspaceId: 'acme', type: 'integration.created', payload: { id: 'github-acme' } });
 * // on shutdown:
 * await dispatcher.stop();
 * ```
 */
export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const { store } = options;
  const send = options.fetch ?? globalThis.fetch;
  const clock = options.clock ?? Date.now;
  const random = options.random ?? Math.random;
  const logger = options.logger ?? silentLogger;
  const allowPrivateNetwork = options.allowPrivateNetwork ?? false;
  const retry = resolveWebhookRetry(options.retry);
  const timeoutMs = positive(options.timeoutMs ?? 10_000, 'timeoutMs');
  const concurrency = positive(options.concurrency ?? 4, 'concurrency');
  const pollIntervalMs = positive(options.pollIntervalMs ?? 1000, 'pollIntervalMs');
  const leaseMs = positive(options.leaseMs ?? timeoutMs + 30_000, 'leaseMs');
  const stopTimeoutMs = positive(options.stopTimeoutMs ?? timeoutMs + 5000, 'stopTimeoutMs');
  const iso = (epochMs: number) => new Date(epochMs).toISOString();
  const { jobs } = options;
  const orphanAfterMs = jobs === undefined ? 0 : positive(options.orphanAfterMs ?? 60_000, 'orphanAfterMs');
  const queueJob = async (deliveryId: string, attempt: number, at: string): Promise<void> => {
    // A job lost here is not a delivery lost: polling takes the delivery once it is `orphanAfterMs` overdue.
    await jobs?.enqueue({ deliveryId, attempt, at }).catch((error: unknown) => {
      logger.warn({ deliveryId, error: describeFailure(error) }, 'webhook delivery: queuing its job failed; polling will take it');
    });
  };

  /** Sends one attempt and says how it went; never throws. */
  async function sendAttempt(delivery: WebhookOutboxRecord, subscription: WebhookSubscriptionRecord): Promise<WebhookAttempt> {
    const redact = (text: string) =>
      [subscription.secret, subscription.secret.slice('whsec_'.length)]
        .reduce((result, secret) => result.replaceAll(secret, '[redacted]'), text)
        .slice(0, MAXIMUM_ERROR_LENGTH);
    const attempts = delivery.attempts + 1;
    const retryOrFail = (fields: Omit<WebhookAttempt, 'outcome' | 'attemptedAt'>, waitMs?: number): WebhookAttempt => {
      const attemptedAt = clock();
      const error = fields.error === undefined ? undefined : redact(fields.error);
      if (attempts >= retry.maxAttempts) return { ...fields, error, outcome: 'failed', attemptedAt: iso(attemptedAt) };
      const delay = Math.max(webhookBackoffMs(retry, attempts, random), Math.min(waitMs ?? 0, retry.maxDelayMs));
      return { ...fields, error, outcome: 'retry', attemptedAt: iso(attemptedAt), nextAttemptAt: iso(attemptedAt + delay) };
    };
    const fail = (error: string): WebhookAttempt => ({ outcome: 'failed', error: redact(error), attemptedAt: iso(clock()) });

    if (!subscription.enabled) return fail('the subscription is disabled');
    try {
      await checkSubscriptionUrl(subscription.url, { allowPrivateNetwork });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return IntegrationError.isInstance(error) && error.kind === 'validation' ? fail(message) : retryOrFail({ error: message });
    }

    const sentAt = clock();
    const body = JSON.stringify({ type: delivery.eventType, timestamp: delivery.createdAt, data: delivery.payload });
    try {
      const signature = new Webhook(subscription.secret).sign(delivery.id, new Date(sentAt), body);
      const response = await send(subscription.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': `Switchyard-Webhooks/${VERSION}`,
          'webhook-id': delivery.id,
          'webhook-timestamp': String(Math.floor(sentAt / 1000)),
          'webhook-signature': signature,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel().catch(() => undefined);
      const verdict = classifyWebhookStatus(response.status);
      if (verdict === 'delivered') return { outcome: 'delivered', responseStatus: response.status, attemptedAt: iso(clock()) };
      const error = `the subscriber answered HTTP ${response.status}`;
      if (verdict === 'failed') return { ...fail(error), responseStatus: response.status };
      return retryOrFail({ responseStatus: response.status, error }, webhookRetryAfterMs(response, clock()));
    } catch (error) {
      return retryOrFail({ error: describeFailure(error) });
    }
  }

  /** Attempts one claimed delivery and records the outcome; `undefined` when nothing could be recorded. */
  async function attempt(delivery: WebhookOutboxRecord): Promise<WebhookAttemptOutcome | undefined> {
    const fields = { deliveryId: delivery.id, subscriptionId: delivery.subscriptionId, eventType: delivery.eventType };
    let result: WebhookAttempt;
    try {
      const subscription = await store.webhookSubscriptions.get(delivery.subscriptionId).catch((error: unknown) => {
        if (IntegrationError.isInstance(error) && error.kind === 'not_found') return undefined;
        throw error;
      });
      result =
        subscription === undefined
          ? { outcome: 'failed', error: 'the subscription was deleted', attemptedAt: iso(clock()) }
          : await sendAttempt(delivery, subscription);
      await store.webhookOutbox.recordAttempt(delivery.id, result);
    } catch (error) {
      // The claim stays until its lease expires; the delivery is attempted again then.
      logger.error({ ...fields, error: describeFailure(error) }, 'webhook delivery: the store failed; retrying after the lease');
      return undefined;
    }
    if (result.outcome === 'retry' && result.nextAttemptAt !== undefined)
      await queueJob(delivery.id, delivery.attempts + 2, result.nextAttemptAt);
    const line = { ...fields, attempt: delivery.attempts + 1, outcome: result.outcome, status: result.responseStatus, error: result.error };
    if (result.outcome === 'delivered') logger.info(line, 'webhook delivered');
    else logger.warn(line, result.outcome === 'retry' ? 'webhook delivery failed; will retry' : 'webhook delivery failed for good');
    return result.outcome;
  }

  const inFlight = new Set<Promise<unknown>>();
  const track = <Result>(promise: Promise<Result>): Promise<Result> => {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise)).catch(() => undefined);
    return promise;
  };
  async function claim(limit: number): Promise<WebhookOutboxRecord[]> {
    return store.webhookOutbox.claimDue({ now: iso(clock() - orphanAfterMs), limit, leaseMs });
  }

  /** A job's attempt: the delivery if it is due and nobody holds it; `later` while another process does. */
  async function runJob(deliveryId: string): Promise<'done' | 'later'> {
    const [delivery] = await store.webhookOutbox.claimDue({ now: iso(clock()), limit: 1, leaseMs, ids: [deliveryId] });
    if (delivery !== undefined) return (await track(attempt(delivery))) === undefined ? 'later' : 'done';
    const current = await store.webhookOutbox.get(deliveryId).catch(() => undefined);
    // Delivered, failed, deleted, or waiting for a later attempt that has its own job: nothing to do.
    return current?.status === 'delivering' ? 'later' : 'done';
  }

  async function runOnce(): Promise<WebhookDispatchReport> {
    const claimed = await claim(concurrency);
    const outcomes = await Promise.all(claimed.map((delivery) => track(attempt(delivery))));
    const count = (outcome: WebhookAttemptOutcome) => outcomes.filter((value) => value === outcome).length;
    return { claimed: claimed.length, delivered: count('delivered'), retried: count('retry'), failed: count('failed') };
  }

  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  const nudge = () => wake?.();
  async function poll(): Promise<void> {
    while (running) {
      const free = concurrency - inFlight.size;
      let claimedAll = false;
      if (free > 0) {
        try {
          const claimed = await claim(free);
          for (const delivery of claimed) void track(attempt(delivery)).finally(nudge);
          claimedAll = claimed.length === free;
        } catch (error) {
          logger.error({ error: describeFailure(error) }, 'webhook dispatcher: claiming due deliveries failed');
        }
      }
      if (!running) break;
      if (claimedAll) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollIntervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  }

  return {
    async publish(event) {
      const subscriptions = await store.webhookSubscriptions.list({ workspaceId: event.workspaceId });
      const matching = subscriptions.filter(
        (subscription) => subscription.enabled && (subscription.eventTypes.includes('*') || subscription.eventTypes.includes(event.type)),
      );
      const ids: string[] = [];
      for (const subscription of matching) {
        const id = deliveryIdFor(event.id, subscription.id);
        try {
          const queued = await store.webhookOutbox.enqueue({
            id,
            subscriptionId: subscription.id,
            workspaceId: event.workspaceId,
            eventType: event.type,
            payload: event.payload,
            nextAttemptAt: iso(clock()),
          });
          await queueJob(id, 1, queued.nextAttemptAt);
        } catch (error) {
          // Published before (same event id): already queued. A subscription deleted meanwhile gets nothing.
          if (IntegrationError.isInstance(error) && error.kind === 'not_found') continue;
          if (!(IntegrationError.isInstance(error) && error.kind === 'conflict' && event.id !== undefined)) throw error;
        }
        ids.push(id);
      }
      if (ids.length > 0) nudge();
      return ids;
    },
    start() {
      if (running) return;
      running = true;
      loop = poll();
      jobs?.start(runJob).catch((error: unknown) => {
        logger.error(
          { error: describeFailure(error) },
          'webhook dispatcher: the job queue did not start; polling takes overdue deliveries',
        );
      });
    },
    async stop() {
      running = false;
      nudge();
      await loop;
      loop = undefined;
      await jobs
        ?.stop()
        .catch((error: unknown) => logger.warn({ error: describeFailure(error) }, 'webhook dispatcher: stopping the job queue failed'));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, stopTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
    },
    runOnce,
  };
}
