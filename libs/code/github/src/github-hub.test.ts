import { createHub, IntegrationError, type HubEvents } from '@switchyard/core';
import { createMemoryIssuesProvider } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from './__peers__/github-fake-data';
import { startGithubFake, type GithubFake } from './__peers__/github-fake';
import { createGithub } from './index';

let fake: GithubFake;

beforeAll(async () => {
  fake = await startGithubFake();
});

afterAll(async () => {
  await fake?.close();
});

const project = 'acme/website';

function hubWithSpare(events: { ratelimit?: (event: HubEvents['ratelimit']) => void } = {}) {
  return createHub({
    providers: [
      createGithub({ baseURL: fake.url, token: fake.token }),
      createMemoryIssuesProvider({ id: 'spare', projects: [{ id: project, name: 'Website' }] }),
    ],
    // The spare mirrors the project, so this host lets issues fail over (a system of record does not by default).
    routing: { providers: { github: { weight: 50 } }, policies: { issues: { write: 'primary', read: 'first-found' } } },
    events,
  });
}

const explain = (hub: ReturnType<typeof createHub>) =>
  hub.explain({ capability: 'issues', operation: 'getIssue' }).candidates.find((candidate) => candidate.provider === 'github');

describe('GitHub through the hub', () => {
  it('turns x-ratelimit-remaining into headroom, and 0 into a pause visible in hub.explain', async () => {
    const ratelimits: HubEvents['ratelimit'][] = [];
    const hub = hubWithSpare({ ratelimit: (event) => ratelimits.push(event) });
    try {
      const listRepositories = () => hub.execute({ capability: 'issues', operation: 'listProjects', input: { limit: 5 } });
      expect(explain(hub)?.headroom).toBe(1);
      fake.remaining = 251; // the fake counts this request down: x-ratelimit-remaining 250 of 5000
      expect((await listRepositories()).provider).toBe('github');
      const runningDown = explain(hub);
      expect(runningDown?.headroom).toBeCloseTo(0.05);
      expect(runningDown?.eligible).toBe(true);
      fake.remaining = 1; // x-ratelimit-remaining 0
      expect((await listRepositories()).provider).toBe('github');
      const usedUp = explain(hub);
      expect(usedUp).toMatchObject({ eligible: false, headroom: 0 });
      expect(usedUp?.reason).toMatch(/rate limit used up: 0 calls remaining/);
      expect(usedUp?.pausedForMs).toBeGreaterThan(3_000_000);
      expect(ratelimits).toContainEqual(expect.objectContaining({ provider: 'github', action: 'paused' }));
      const requestsBefore = fake.requests.length;
      expect((await listRepositories()).provider, 'the paused provider is skipped').toBe('spare');
      expect(fake.requests.length, 'GitHub was not called while paused').toBe(requestsBefore);
    } finally {
      fake.remaining = 5000;
      await hub.close();
    }
  });

  it('fails over to another issues provider when GitHub answers 5xx, but not after a 422', async () => {
    const hub = hubWithSpare();
    try {
      fake.failNext({ status: 502, body: { message: 'Server Error' } });
      const created = await hub.execute(
        { capability: 'issues', operation: 'createIssue', input: { project, title: 'Created despite a 502' } },
        { prefer: ['github'] },
      );
      expect(created.provider).toBe('spare');
      fake.failNext({ status: 422, body: fixture('error-validation-failed') });
      const refused = await hub
        .execute(
          { capability: 'issues', operation: 'createIssue', input: { project, title: 'Refused by validation' } },
          { prefer: ['github'] },
        )
        .catch((error: unknown) => error);
      expect(IntegrationError.isInstance(refused) && { kind: refused.kind, provider: refused.provider }).toEqual({
        kind: 'validation',
        provider: 'github',
      });
    } finally {
      await hub.close();
    }
  });
});
