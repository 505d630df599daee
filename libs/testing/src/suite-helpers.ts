import { randomUUID } from 'node:crypto';
import { createHub, type ProviderCallContext, type ProviderRequest, type ProviderV1 } from '@switchyard/core';
import { expect } from 'vitest';
import { expectIntegrationError, preview } from './capability-client';

/**
 * Twelve random lowercase hex characters, for keys, bucket names and titles
 * that must not collide when suites share a real service or emulator.
 */
export function uniqueId(): string {
  return randomUUID().replaceAll('-', '').slice(0, 12);
}

/** Asserts an ISO timestamp is within five minutes of now (room for clock skew with a remote service). */
export function expectRecent(timestamp: string, label: string): void {
  const skewMs = Math.abs(Date.parse(timestamp) - Date.now());
  expect(skewMs, `${label} (${timestamp}) is within five minutes of now`).toBeLessThan(5 * 60_000);
}

/** One page of a list operation, reduced to its items. */
export interface Page<Item> {
  readonly items: readonly Item[];
  readonly nextCursor?: string | undefined;
}

/** What {@link collectPages} gathered. */
export interface CollectedPages<Item> {
  readonly items: Item[];
  readonly pageCount: number;
  /** False when `maximumPages` ran out before the last page. */
  readonly exhausted: boolean;
}

/**
 * Follows a list operation's cursors from the first page, checking that no
 * page holds more than `limit` items and that no cursor repeats (a provider
 * that hands back the same cursor would loop forever). Stops after
 * `maximumPages` pages.
 */
export async function collectPages<Item>(options: {
  readonly label: string;
  readonly limit: number;
  readonly maximumPages: number;
  readonly fetchPage: (cursor: string | undefined) => Promise<Page<Item>>;
}): Promise<CollectedPages<Item>> {
  const items: Item[] = [];
  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  for (let pageCount = 1; pageCount <= options.maximumPages; pageCount += 1) {
    const page = await options.fetchPage(cursor);
    expect(page.items.length, `${options.label} page ${pageCount} holds at most limit (${options.limit}) items`).toBeLessThanOrEqual(
      options.limit,
    );
    items.push(...page.items);
    if (page.nextCursor === undefined) return { items, pageCount, exhausted: true };
    expect(seenCursors.has(page.nextCursor), `${options.label} page ${pageCount} repeats an earlier cursor`).toBe(false);
    seenCursors.add(page.nextCursor);
    cursor = page.nextCursor;
  }
  return { items, pageCount: options.maximumPages, exhausted: false };
}

/** Waits `milliseconds`. */
function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/**
 * Calls `read` until `done` accepts its value, sleeping `intervalMs`
 * (default 250) between calls, and returns that value. Fails, naming
 * `label` and the last value read, once `timeoutMs` has passed. For state
 * transitions a provider finishes in the background (a machine stopping, a
 * deployment settling).
 */
export async function pollUntil<Value>(options: {
  readonly label: string;
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  readonly read: () => Promise<Value>;
  readonly done: (value: Value) => boolean;
}): Promise<Value> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await options.read();
    if (options.done(value)) return value;
    if (Date.now() >= deadline) {
      throw new Error(`${options.label} did not happen within ${options.timeoutMs} ms; last read: ${preview(value)}`);
    }
    await sleep(options.intervalMs ?? 250);
  }
}

/** One call {@link expectValidationWithoutProviderCall} makes. */
export interface InvalidRequest {
  /** What is wrong with it, for the failure message, e.g. `'an empty name'`. */
  readonly label: string;
  readonly operation: string;
  readonly input: unknown;
}

/**
 * Routes each request through a hub holding only `provider` and asserts it
 * fails with `validation` and that the provider was never called: bad input
 * must be caught by the contract, not sent to the service.
 */
export async function expectValidationWithoutProviderCall(
  provider: ProviderV1,
  capability: string,
  requests: readonly InvalidRequest[],
): Promise<void> {
  let providerCalls = 0;
  const counted: ProviderV1 = Object.freeze({
    ...provider,
    execute(request: ProviderRequest, context: ProviderCallContext) {
      providerCalls += 1;
      return provider.execute(request, context);
    },
  });
  const hub = createHub({ providers: [counted] });
  try {
    for (const request of requests) {
      await expectIntegrationError(
        hub.execute({ capability, operation: request.operation, input: request.input }),
        'validation',
        `${capability}.${request.operation} with ${request.label}`,
      );
    }
  } finally {
    await hub.close();
  }
  expect(providerCalls, 'the provider is never called with input the contract rejects').toBe(0);
}
