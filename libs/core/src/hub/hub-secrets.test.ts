import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { IntegrationError } from '../errors/integration-error';
import { SecretSet } from '../errors/redact';
import type { HubEvents } from '../events/hub-events';
import { fakeProvider, lookup, testHub } from '../router/test-fixtures';
import { integrationErrorOf } from '../testing/integration-error-of';

const REPLACEMENTS = 100_000;

/** A provider that, like GitHub with App installation tokens, keeps the current token of an installation and fails quoting it. */
function rotatingProvider(id: string) {
  const secrets = new SecretSet();
  let current = '';
  const provider = Object.assign(fakeProvider(id), { secrets });
  const rotate = (token: string): void => {
    current = token;
    secrets.set('installation:42', token);
  };
  provider.failWith(() => new IntegrationError({ kind: 'auth', message: `installation token ${current} was refused`, isRetryable: false }));
  return { provider, secrets, rotate, current: () => current };
}

const token = (index: number): string => `ghs_installation_token_${index.toString(36).padStart(8, '0')}_x`;

describe('a hub’s secrets', () => {
  it('stay bounded and keep hiding the live token after 100,000 replaced ones', async () => {
    const { provider, secrets, rotate, current } = rotatingProvider('rotating');
    const errors: HubEvents['attempt'][] = [];
    const hub = testHub([provider], { routing: { retry: { retries: 0 } }, events: { attempt: (event) => errors.push(event) } });
    const heapBefore = process.memoryUsage().heapUsed;
    for (let index = 0; index < REPLACEMENTS; index += 1) {
      rotate(token(index));
      // Redact now and then, as a long-running host does, so stale compiled patterns would show.
      if (index % 20_000 === 0) {
        expect((await integrationErrorOf(lookup(hub))).message).not.toContain(current());
      }
    }
    expect(secrets.size).toBe(1);
    const failure = await integrationErrorOf(lookup(hub));
    expect(failure.message).toContain('[REDACTED]');
    expect(failure.message).not.toContain(current());
    expect(inspect(failure, { depth: 10 })).not.toContain(current());
    expect(JSON.stringify(errors)).not.toContain(current());
    // A replaced token is forgotten: nothing in the hub holds it, so it is no longer redacted either.
    const replaced = token(REPLACEMENTS - 2);
    expect(hub.secrets.size + secrets.size).toBe(1);
    expect(inspect(hub, { depth: 6 })).not.toContain(replaced);
    // 100,000 tokens of ~35 characters would be several MiB if kept; the set holds one.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(32 * 1024 * 1024);
    await hub.close();
  });

  it('are never used by another hub, and another hub’s are never used here', async () => {
    const first = rotatingProvider('first');
    const second = rotatingProvider('second');
    first.rotate('first-hub-token-value-1');
    second.rotate('second-hub-token-value-2');
    const firstHub = testHub([first.provider]);
    const secondHub = testHub([second.provider]);
    firstHub.secrets.add('first-hub-host-secret');

    const firstFailure = await integrationErrorOf(lookup(firstHub));
    expect(firstFailure.message).toContain('[REDACTED]');
    // The second hub redacts its own token, and leaves text holding the first hub's secrets alone: it never learned them.
    const echo = fakeProvider('echo');
    echo.failWith(
      () =>
        new IntegrationError({
          kind: 'auth',
          message: 'saw first-hub-token-value-1 and first-hub-host-secret and second-hub-token-value-2',
          isRetryable: false,
        }),
    );
    secondHub.register(echo);
    const secondFailure = await integrationErrorOf(lookup(secondHub, 'k', { only: ['echo'] }));
    expect(secondFailure.message).toContain('first-hub-token-value-1');
    expect(secondFailure.message).toContain('first-hub-host-secret');
    expect(secondFailure.message).not.toContain('second-hub-token-value-2');
    await Promise.all([firstHub.close(), secondHub.close()]);
  });

  it('stop covering a provider once it is unregistered', async () => {
    const { provider, rotate } = rotatingProvider('gone');
    rotate('unregistered-provider-token');
    const hub = testHub([provider]);
    hub.unregister('gone');
    const echo = fakeProvider('echo');
    echo.failWith(() => new IntegrationError({ kind: 'auth', message: 'unregistered-provider-token', isRetryable: false }));
    hub.register(echo);
    expect((await integrationErrorOf(lookup(hub))).message).toContain('unregistered-provider-token');
    await hub.close();
  });
});
