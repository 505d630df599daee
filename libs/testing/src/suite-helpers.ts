import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';

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
