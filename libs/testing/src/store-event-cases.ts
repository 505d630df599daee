import type { StoredEvent, Store } from '@switchyard/platform';
import { expect } from 'vitest';
import { expectIntegrationError } from './capability-client';
import type { StoreCase } from './store-suite';

const pause = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/** Appends events of the given types one by one, each at least 3 ms after the previous, so their times differ. */
async function appendSpaced(store: Store, types: readonly string[], integrationId?: string): Promise<StoredEvent[]> {
  const appended: StoredEvent[] = [];
  for (const type of types) {
    if (appended.length > 0) await pause(3);
    appended.push(await store.events.append({ type, integrationId, payload: { index: appended.length } }));
  }
  return appended;
}

/** Types of events, oldest first (the order of lists is the other events case's business). */
const typesOf = (events: readonly StoredEvent[]) => [...events].sort((left, right) => left.id - right.id).map((event) => event.type);

/** The event-log cases of the store contract: time ranges, pruning by age, pruning within a workspace. */
export function eventStoreCases(): StoreCase[] {
  return [
    {
      title: 'events: lists by time, since inclusive and until exclusive, with the other filters',
      run: async (store) => {
        const [first, second, third, fourth] = await appendSpaced(store, ['e.1', 'e.2', 'e.3', 'e.4'], 'a');
        if (first === undefined || second === undefined || third === undefined || fourth === undefined) throw new Error('appended 4');
        expect(typesOf(await store.events.listRecent({ since: second.occurredAt }))).toEqual(['e.2', 'e.3', 'e.4']);
        expect(typesOf(await store.events.listRecent({ until: third.occurredAt }))).toEqual(['e.1', 'e.2']);
        expect(typesOf(await store.events.listRecent({ since: second.occurredAt, until: fourth.occurredAt }))).toEqual(['e.2', 'e.3']);
        expect(typesOf(await store.events.listRecent({ since: second.occurredAt, type: 'e.3', integrationId: 'a' }))).toEqual(['e.3']);
        expect(await store.events.listRecent({ since: second.occurredAt, integrationId: 'b' })).toEqual([]);
        expect(await store.events.listRecent({ since: new Date(Date.parse(fourth.occurredAt) + 1).toISOString() })).toEqual([]);
        // Any ISO 8601 offset means the same instant.
        const shifted = new Date(Date.parse(third.occurredAt) + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
        expect(typesOf(await store.events.listRecent({ since: shifted }))).toEqual(['e.3', 'e.4']);
        await expectIntegrationError(store.events.listRecent({ since: 'yesterday' }), 'validation', 'a since that is no timestamp');
        await expectIntegrationError(store.events.listRecent({ until: '' }), 'validation', 'an empty until');
      },
    },
    {
      title: 'events: prune deletes the events that occurred before a time and says how many',
      run: async (store) => {
        const [, second, third] = await appendSpaced(store, ['old.1', 'old.2', 'new.3', 'new.4']);
        if (second === undefined || third === undefined) throw new Error('appended 4');
        expect(await store.events.prune({ olderThan: '2000-01-01T00:00:00.000Z' })).toBe(0);
        expect(await store.events.prune({ olderThan: third.occurredAt })).toBe(2);
        expect(typesOf(await store.events.listRecent())).toEqual(['new.3', 'new.4']);
        expect(await store.events.prune({ olderThan: third.occurredAt }), 'pruning again deletes nothing').toBe(0);
        const later = await store.events.append({ type: 'after.prune' });
        expect(later.id, 'ids keep increasing after a prune').toBeGreaterThan(third.id);
        expect(await store.events.prune({ olderThan: new Date(Date.now() + 60_000).toISOString() })).toBe(3);
        expect(await store.events.listRecent()).toEqual([]);
        await expectIntegrationError(store.events.prune({ olderThan: 'soon' }), 'validation', 'an olderThan that is no timestamp');
      },
    },
    {
      title: 'events: prune with a workspace, or through a workspace view, deletes only that workspace’s events',
      run: async (store) => {
        const acme = store.forWorkspace('acme');
        const globex = store.forWorkspace('globex');
        await acme.events.append({ type: 'acme.1' });
        await globex.events.append({ type: 'globex.1' });
        await store.events.append({ type: 'default.1' });
        await pause(3);
        const cutoff = new Date().toISOString();
        await pause(3);
        await acme.events.append({ type: 'acme.2' });

        expect(await acme.events.prune({ olderThan: cutoff, workspaceId: 'globex' }), 'a view ignores another workspace').toBe(1);
        expect(typesOf(await store.events.listRecent())).toEqual(['globex.1', 'default.1', 'acme.2']);
        expect(await store.events.prune({ olderThan: cutoff, workspaceId: 'globex' })).toBe(1);
        expect(typesOf(await store.events.listRecent())).toEqual(['default.1', 'acme.2']);
        expect(await store.events.prune({ olderThan: cutoff })).toBe(1);
        expect(typesOf(await store.events.listRecent())).toEqual(['acme.2']);
      },
    },
  ];
}
