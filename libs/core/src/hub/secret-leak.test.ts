import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { IntegrationError } from '../errors/integration-error';
import { SecretSet } from '../errors/redact';
import type { HubEvents, HubEventType } from '../events/hub-events';
import { fakeProvider, lookup, testHub } from '../router/test-fixtures';
import type { Logger } from '../utils/logger';

const SECRET = 'sk_live_planted0123456789SECRET';

/** A provider configured with SECRET that leaks it every way a careless SDK does. */
function leakyProvider(id: string) {
  const secrets = new SecretSet();
  secrets.add(SECRET); // what every provider does with a secret it is given or resolves
  const provider = Object.assign(fakeProvider(id), { secrets });
  provider.failWith(
    () =>
      new IntegrationError({
        kind: 'provider',
        message: `GET https://api.example.com/v1/lookup?api_key=${SECRET} failed: key ${SECRET} rejected`,
        statusCode: 500,
        cause: Object.assign(new Error(`request with Authorization: Bearer ${SECRET} failed`), {
          config: { headers: { authorization: `Bearer ${SECRET}` } },
        }),
        details: { request: { headers: { 'x-api-key': SECRET }, url: `https://user:${SECRET}@api.example.com` } },
      }),
  );
  return provider;
}

describe('a secret planted in credentials', () => {
  it('never appears in any event, error, log line, metric or explanation', async () => {
    const captured: string[] = [];
    const capture = (label: string, value: unknown): void => {
      captured.push(`${label}: ${typeof value === 'string' ? value : JSON.stringify(value)} ${inspect(value, { depth: 12 })}`);
    };
    const logger: Logger = {
      debug: (fields, message) => capture('log.debug', { fields, message }),
      info: (fields, message) => capture('log.info', { fields, message }),
      warn: (fields, message) => capture('log.warn', { fields, message }),
      error: (fields, message) => capture('log.error', { fields, message }),
    };
    const eventTypes: HubEventType[] = ['request', 'route', 'attempt', 'failover', 'breaker', 'ratelimit', 'health'];
    const events = Object.fromEntries(
      eventTypes.map((type) => [type, (payload: HubEvents[typeof type]) => capture(`event.${type}`, payload)]),
    );
    const leaky = leakyProvider('leaky');
    const alsoLeaky = leakyProvider('also-leaky');
    const healthy = fakeProvider('healthy');
    const hub = testHub([leaky, alsoLeaky, healthy], {
      logger,
      events,
      routing: { breaker: { consecutiveFailures: 2 }, providers: { leaky: { weight: 3 }, 'also-leaky': { weight: 2 } } },
    });

    // Failover past both leaky providers, then open their circuits.
    for (let index = 0; index < 5; index += 1) capture('result', await lookup(hub));
    // Every provider failing: the final error aggregates every attempt.
    const failure = await lookup(hub, 'k', { only: ['leaky', 'also-leaky'] }).catch((error: unknown) => error);
    capture('error', failure);
    capture('error.message', (failure as Error).message);
    // Secrets in input never echo back through validation errors.
    capture(
      'validation',
      await hub
        .execute({ capability: 'analytics', operation: 'lookup', input: { key: 7, token: SECRET } })
        .catch((error: unknown) => error),
    );
    capture('tool', await hub.tools.callTool('analytics_lookup', { key: 'k' }, { only: ['leaky'] }).catch((error: unknown) => error));
    capture('health', await hub.health());
    capture('metrics', hub.metrics());
    capture('explain', hub.explain({ capability: 'analytics', operation: 'lookup' }));
    capture('tools', hub.tools.list());

    expect(captured.length).toBeGreaterThan(30);
    expect(captured.some((line) => line.startsWith('event.failover'))).toBe(true);
    expect(captured.some((line) => line.includes('[REDACTED]'))).toBe(true);
    const leaks = captured.filter((line) => line.includes(SECRET) || line.includes('planted0123456789'));
    expect(leaks).toEqual([]);
  });
});
