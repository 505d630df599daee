/** One attempt of one delivery, as a job. */
export interface WebhookJob {
  readonly deliveryId: string;
  /** The attempt's number (1 for the first): a delivery's attempts are distinct jobs. */
  readonly attempt: number;
  /** ISO 8601 timestamp: not before. */
  readonly at: string;
}

/**
 * A job queue shared by every process of a deployment, for outbound webhook
 * attempts (pg-boss on the PostgreSQL store: `createPgBossWebhookJobs` of
 * `@switchyard/store-postgres`). Each attempt is a job that one process runs;
 * the store's claim of the delivery still guards the attempt. A job whose
 * handler answers `later` (another process holds the delivery, or the store
 * failed) runs again after the queue's retry delay.
 */
export interface WebhookJobQueue {
  start(handler: (deliveryId: string) => Promise<'done' | 'later'>): Promise<void>;
  /** Queues the attempt; queuing the same (delivery, attempt) again does nothing. */
  enqueue(job: WebhookJob): Promise<void>;
  /** Stops taking jobs and waits for those in hand. Safe to call twice. */
  stop(): Promise<void>;
}
