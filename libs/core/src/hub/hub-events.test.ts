import { describe, expect, it } from 'vitest';
import { SecretSet } from '../errors/redact';
import type { AnyEvent } from '../events/event-bus';
import { HUB_EVENT_TYPES, type HubEvents, type HubEventType } from '../events/hub-events';
import type { CredentialRefreshEvent } from '../credentials/credential-lookup';
import { errorOf, fakeProvider, lookup, testHub } from '../router/test-fixtures';
import type { Hub } from './create-hub';
import { hubEventBus } from './hub-internals';

const PROVIDER_SECRET = 'sk_live_planted_provider_secret_0451';
const VAULT_SECRET = 'vault_planted_refresh_token_0452';
const HOST_SECRET = 'whsec_planted_host_secret_0453';

type HubEvent = AnyEvent<HubEvents>;

/**
 * A failover scenario that makes the hub emit every kind of event it can on
 * its own: the primary fails with a network error quoting its key until its
 * breaker opens, a health check, a failed token refresh in the vault, and a
 * webhook delivery the platform's receiver rejected.
 */
async function runScenario(subscribe: (hub: Hub) => void): Promise<void> {
  const secrets = new SecretSet();
  secrets.add(PROVIDER_SECRET);
  const primary = Object.assign(fakeProvider('primary'), { secrets });
  primary.failWith(errorOf('network', `connect ECONNRESET with key ${PROVIDER_SECRET}`));
  const vaultSecrets = new SecretSet();
  vaultSecrets.add(VAULT_SECRET);
  let refreshed: ((event: CredentialRefreshEvent) => void) | undefined;
  const hub = testHub([primary, fakeProvider('secondary')], {
    routing: {
      breaker: { consecutiveFailures: 3 },
      retry: { retries: 1, minDelayMs: 0, maxDelayMs: 0, jitter: false },
      providers: { primary: { weight: 3 } },
    },
    credentials: {
      has: () => true,
      secrets: vaultSecrets,
      onRefresh: (listener) => {
        refreshed = listener;
        return () => (refreshed = undefined);
      },
    },
  });
  hub.secrets.add(HOST_SECRET);
  subscribe(hub);

  for (let index = 0; index < 3; index += 1) expect((await lookup(hub, `key-${index}`)).provider).toBe('secondary');
  await hub.health();
  refreshed?.({
    integrationId: 'acme',
    outcome: 'failed',
    durationMs: 12,
    error: { kind: 'auth', message: `refresh token ${VAULT_SECRET} was revoked` },
  });
  // What createWebhookReceiver of @switchyard/platform emits on the hub it is given.
  hubEventBus(hub).emit('webhook.rejected', {
    provider: 'primary',
    integrationId: 'acme',
    deliveryId: undefined,
    error: { kind: 'auth', message: `signature made with ${HOST_SECRET} did not match` },
  });
  await hub.close();
}

describe('HUB_EVENT_TYPES', () => {
  it('names every key of HubEvents, once', () => {
    // The compiler insists on every key and refuses any other, so this object is HubEvents' key list at run time.
    const everyKey: { readonly [Type in HubEventType]: true } = {
      request: true,
      route: true,
      attempt: true,
      failover: true,
      breaker: true,
      ratelimit: true,
      'credential.refresh': true,
      health: true,
      placement: true,
      repair: true,
      registry: true,
      'webhook.received': true,
      'webhook.duplicate': true,
      'webhook.rejected': true,
    };
    expect([...HUB_EVENT_TYPES].sort()).toEqual(Object.keys(everyKey).sort());
    expect(new Set(HUB_EVENT_TYPES).size).toBe(HUB_EVENT_TYPES.length);
    expect(Object.isFrozen(HUB_EVENT_TYPES)).toBe(true);
  });
});

describe('hub.events.onAny', () => {
  it('alone gets every event of a failover scenario, in order, with the type named', async () => {
    const seen: HubEvent[] = [];
    await runScenario((hub) => hub.events.onAny((event) => seen.push(event)));

    const types = seen.map((event) => event.type);
    expect(new Set(types)).toEqual(
      new Set(['route', 'attempt', 'failover', 'request', 'breaker', 'health', 'credential.refresh', 'webhook.rejected']),
    );
    expect(types.slice(0, 6)).toEqual(['route', 'attempt', 'attempt', 'failover', 'attempt', 'request']);
    // The type narrows the payload: no cast is needed to read a failover's fields.
    const failovers = seen.flatMap((event) => (event.type === 'failover' ? [event.payload] : []));
    expect(failovers.map((failover) => [failover.from, failover.to, failover.error.kind])).toEqual([
      ['primary', 'secondary', 'network'],
      ['primary', 'secondary', 'network'],
    ]);
    expect(seen).toContainEqual({
      type: 'breaker',
      payload: expect.objectContaining({ provider: 'primary', from: 'closed', to: 'open' }) as unknown,
    });
  });

  it('gets the very payloads typed listeners get, after them, and stops when unsubscribed', async () => {
    const typed: HubEvent[] = [];
    const any: HubEvent[] = [];
    const order: string[] = [];
    let unsubscribe: (() => void) | undefined;
    await runScenario((hub) => {
      for (const type of HUB_EVENT_TYPES) {
        hub.events.on(type, (payload: HubEvents[HubEventType]) => {
          typed.push({ type, payload } as HubEvent);
          order.push(`on ${type}`);
        });
      }
      unsubscribe = hub.events.onAny((event) => {
        any.push(event);
        order.push(`any ${event.type}`);
        if (event.type === 'health') unsubscribe?.();
      });
    });

    const health = typed.findIndex((event) => event.type === 'health');
    expect(health).toBeGreaterThan(0);
    expect(any).toHaveLength(health + 1);
    any.forEach((event, index) => {
      expect(event.type).toBe(typed[index]!.type);
      expect(event.payload).toBe(typed[index]!.payload);
    });
    expect(order.slice(0, 4)).toEqual(['on route', 'any route', 'on attempt', 'any attempt']);
  });

  it('never receives a planted secret: payloads go through the hub’s redaction as for typed listeners', async () => {
    const seen: HubEvent[] = [];
    await runScenario((hub) => hub.events.onAny((event) => seen.push(event)));

    const text = JSON.stringify(seen);
    for (const secret of [PROVIDER_SECRET, VAULT_SECRET, HOST_SECRET]) expect(text).not.toContain(secret);
    for (const type of ['failover', 'attempt', 'health', 'credential.refresh', 'webhook.rejected'] as const) {
      const event = seen.find((candidate) => candidate.type === type);
      expect(JSON.stringify(event), type).toContain('[REDACTED]');
    }
  });

  it('keeps delivering when one listener throws, and reports the error', async () => {
    const reported: string[] = [];
    const logger = { debug() {}, info() {}, warn() {}, error: (fields: Record<string, unknown>) => reported.push(String(fields.type)) };
    const hub = testHub([fakeProvider('only')], { logger });
    const seen: string[] = [];
    hub.events.onAny(() => {
      throw new Error('audit log is down');
    });
    hub.events.onAny((event) => seen.push(event.type));
    await lookup(hub);
    expect(seen).toEqual(['route', 'attempt', 'request']);
    expect(reported).toEqual(['route', 'attempt', 'request']);
    await hub.close();
  });

  it('says when providers or contracts change, with the revision the tool list follows', () => {
    const hub = testHub([fakeProvider('first')]);
    const seen: HubEvents['registry'][] = [];
    hub.events.on('registry', (change) => seen.push(change));
    const before = hub.tools.list().length;

    hub.register(fakeProvider('second'));
    expect(hub.unregister('second')).toBe(true);
    expect(hub.unregister('second')).toBe(false);
    hub.capability(hub.registry.contract('analytics')!);

    expect(seen.map(({ change, id }) => [change, id])).toEqual([
      ['provider.registered', 'second'],
      ['provider.unregistered', 'second'],
    ]);
    expect(seen[1]!.revision).toBeGreaterThan(seen[0]!.revision);
    expect(hub.tools.list()).toHaveLength(before);
  });
});
